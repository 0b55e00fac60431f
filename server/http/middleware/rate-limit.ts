import type { MiddlewareHandler } from "hono";
import { DomainError } from "../../domain/errors.js";
import type { HttpEnv } from "../env.js";

/**
 * A token bucket per key (user id when signed in, else client address): `burst`
 * requests at once, refilled at `perMinute`. Over the limit → 429 with
 * Retry-After. In memory, per process: enough to stop a runaway client.
 */
export function rateLimit(opts: { perMinute: number; burst: number }): MiddlewareHandler<HttpEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = opts.perMinute / 60_000;
  return async (c, next) => {
    const user = c.get("user");
    const key =
      user?.id ??
      c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ??
      c.req.header("x-real-ip") ??
      "local";
    const now = Date.now();
    const b = buckets.get(key) ?? { tokens: opts.burst, at: now };
    b.tokens = Math.min(opts.burst, b.tokens + (now - b.at) * refillPerMs);
    b.at = now;
    if (b.tokens < 1) {
      const retryAfterS = Math.ceil((1 - b.tokens) / refillPerMs / 1000);
      c.header("Retry-After", String(retryAfterS));
      throw new DomainError("RATE_LIMITED", { retryAfterS });
    }
    b.tokens -= 1;
    buckets.set(key, b);
    if (buckets.size > 50_000) buckets.clear();
    await next();
  };
}

/** Only changing requests count against the write limit. */
export function writesOnly(limiter: MiddlewareHandler<HttpEnv>): MiddlewareHandler<HttpEnv> {
  return async (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limiter(c, next));
}
