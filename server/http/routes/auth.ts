import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { users } from "../../../drizzle/schema/index.js";
import { verifyInitData } from "../../auth/init-data.js";
import { DomainError } from "../../domain/errors.js";
import { upsertTelegramUser } from "../../domain/users/upsert.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { requireUser } from "../middleware/auth.js";
import { rateLimit } from "../middleware/rate-limit.js";
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
  };
}

export const refreshBody = z.object({ refreshToken: z.string().min(20).max(200) });

/** initData → tokens, refresh rotation, logout, me. */
export function authRoutes(deps: ApiDeps) {
  const limiter = rateLimit(deps.rateLimits?.auth ?? { perMinute: 30, burst: 10 }, deps.trustProxy);
  return new Hono<HttpEnv>()
    .post("/telegram", limiter, async (c) => {
      const header = c.req.header("authorization") ?? "";
      if (!deps.botToken) throw new DomainError("UNAUTHENTICATED", { reason: "bot_not_configured" });
      if (!header.startsWith("tma ")) throw new DomainError("UNAUTHENTICATED", { reason: "no_init_data" });
      const verified = verifyInitData(header.slice(4), deps.botToken, deps.initDataMaxAgeS);
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
    .post("/logout", validated("json", refreshBody), async (c) => {
      await deps.tokens.revoke(c.req.valid("json").refreshToken);
      return c.json({ ok: true });
    })
    .get("/me", requireUser(deps), (c) => {
      const user = c.get("user");
      return c.json({ user: publicUser(user), scope: { branchId: user.branchId, role: user.role } });
    });
}
