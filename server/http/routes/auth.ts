import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { users } from "../../../drizzle/schema/index.js";
import { verifyInitData } from "../../auth/init-data.js";
import { DomainError } from "../../domain/errors.js";
import { upsertTelegramUser } from "../../domain/users/upsert.js";
import { type ApiDeps, DEFAULT_RATE_LIMITS, type HttpEnv } from "../env.js";
import { requireUser } from "../middleware/auth.js";
import { createBuckets, limitPerAddress } from "../middleware/rate-limit.js";
import { validated } from "../middleware/validate.js";

/** What the Mini App learns about the signed-in user. */
export function publicUser(u: typeof users.$inferSelect) {
  return {
    id: u.id,
    telegramId: u.telegramId,
    firstName: u.firstName,
    lastName: u.lastName,
    username: u.username,
    language: u.language,
    role: u.role,
    branchId: u.branchId,
    notifyPrefs: u.notifyPrefs,
    /** Staff marked away are passed by auto-assignment. */
    away: u.away,
  };
}

export const refreshBody = z.object({ refreshToken: z.string().min(20).max(200) });

/** initData → tokens, refresh rotation, logout, me. */
export function authRoutes(deps: ApiDeps) {
  const limits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const limiter = limitPerAddress(deps.db, "auth", limits.auth, deps.trustProxy);
  // Per account too: many addresses (a botnet, a mobile network) must not sign one account in
  // without end. Refresh needs no such limit: each token works once, so its calls are sequential.
  const perAccount = createBuckets(deps.db, "auth-account", limits.authPerUser);
  return new Hono<HttpEnv>()
    .post("/telegram", limiter, async (c) => {
      const header = c.req.header("authorization") ?? "";
      if (!deps.botToken) throw new DomainError("UNAUTHENTICATED", { reason: "bot_not_configured" });
      if (!header.startsWith("tma ")) throw new DomainError("UNAUTHENTICATED", { reason: "no_init_data" });
      const verified = verifyInitData(header.slice(4), deps.botToken, deps.initDataMaxAgeS);
      await perAccount.take(`tg:${verified.user.id}`, c);
      const user = await upsertTelegramUser(
        deps.db,
        {
          telegramId: verified.user.id,
          firstName: verified.user.firstName,
          lastName: verified.user.lastName,
          username: verified.user.username,
          languageCode: verified.user.languageCode,
        },
        { language: deps.defaultLanguage },
      );
      if (!user.isActive) throw new DomainError("USER_INACTIVE");
      c.set("language", user.language);
      const pair = await deps.tokens.issue(user.id);
      return c.json({ ...pair, user: publicUser(user), startParam: verified.startParam ?? null });
    })
    .post("/refresh", limiter, validated("json", refreshBody), async (c) => {
      const { userId, pair } = await deps.tokens.rotate(c.req.valid("json").refreshToken);
      const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
      if (!user?.isActive) throw new DomainError("USER_INACTIVE");
      return c.json({ ...pair, user: publicUser(user) });
    })
    .post("/logout", limiter, validated("json", refreshBody), async (c) => {
      await deps.tokens.revoke(c.req.valid("json").refreshToken);
      return c.json({ ok: true });
    })
    .get("/me", requireUser(deps), (c) => {
      const user = c.get("user");
      return c.json({ user: publicUser(user), scope: { branchId: user.branchId, role: user.role } });
    });
}
