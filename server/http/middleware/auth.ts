import { eq } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { users } from "../../../drizzle/schema/index.js";
import { DomainError } from "../../domain/errors.js";
import type { ApiDeps, HttpEnv } from "../env.js";

/**
 * Every /api route but auth needs `Authorization: Bearer <access token>`
 * (EventSource cannot send headers, so /api/events also takes ?access_token=).
 * The user is loaded fresh, so a deactivation or role change applies at once.
 */
export function requireUser(deps: Pick<ApiDeps, "db" | "tokens" | "contexts">): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7) : c.req.query("access_token");
    if (!token) throw new DomainError("UNAUTHENTICATED", { reason: "no_token" });
    const userId = await deps.tokens.verifyAccess(token);
    const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
    if (!user) throw new DomainError("UNAUTHENTICATED", { reason: "unknown_user" });
    c.set("user", user);
    c.set("language", user.language);
    c.set("svc", deps.contexts.forUser(user));
    await next();
  };
}
