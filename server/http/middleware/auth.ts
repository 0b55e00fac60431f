import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { users } from "../../../drizzle/schema/index.js";
import { withActor } from "../../domain/context.js";
import { DomainError } from "../../domain/errors.js";
import type { ApiDeps, HttpEnv } from "../env.js";

/**
 * Every /api route but auth needs `Authorization: Bearer <access token>`.
 * The user is loaded fresh, so a deactivation or role change applies at once.
 */
/**
 * The request's access token: the Bearer header, or — for the event stream only,
 * since EventSource cannot send headers — ?access_token= (elsewhere a token in a URL
 * would end up in logs and browser history).
 */
export function accessTokenOf(c: Context): string | undefined {
  const header = c.req.header("authorization");
  if (header?.startsWith("Bearer ")) return header.slice(7);
  return c.req.path === "/api/events" ? c.req.query("access_token") : undefined;
}

export function requireUser(deps: Pick<ApiDeps, "db" | "tokens" | "contexts">): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const token = accessTokenOf(c);
    if (!token) throw new DomainError("UNAUTHENTICATED", { reason: "no_token" });
    const userId = await deps.tokens.verifyAccess(token);
    const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
    if (!user) throw new DomainError("UNAUTHENTICATED", { reason: "unknown_user" });
    c.set("user", user);
    c.set("language", user.language);
    // A banned requester gets nothing from the API either, told in their language (docs/OPERATIONS.md "Bot abuse").
    if (user.moderation === "banned") throw new DomainError("FORBIDDEN", { reason: "abuse.banned" });
    const svc = deps.contexts.forUser(user);
    // A shadow-banned requester's writes are answered and not kept (server/domain/abuse/shadow.ts).
    const shadowed = user.moderation === "shadow" && user.role === "requester";
    c.set("svc", shadowed ? withActor(svc, { ...svc.actor, shadowed }) : svc);
    await next();
  };
}
