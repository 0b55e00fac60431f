import type { Context, MiddlewareHandler } from "hono";
import { DomainError } from "../../domain/errors.js";
import type { HttpEnv, RateLimitSpec } from "../env.js";

/**
 * Token buckets by key: `burst` requests at once, refilled at `perMinute`. Over
 * the limit → RATE_LIMITED (429) with Retry-After. In memory, per process:
 * enough to stop a runaway client or a guessing script.
 */
export function createBuckets(spec: RateLimitSpec) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = spec.perMinute / 60_000;
  return {
    /** Takes one request from `key`'s bucket, or throws (setting Retry-After on `c`). */
    take(key: string, c: Context<HttpEnv>): void {
      const now = Date.now();
      const b = buckets.get(key) ?? { tokens: spec.burst, at: now };
      b.tokens = Math.min(spec.burst, b.tokens + (now - b.at) * refillPerMs);
      b.at = now;
      if (b.tokens < 1) {
        const retryAfterS = Math.ceil((1 - b.tokens) / refillPerMs / 1000);
        c.header("Retry-After", String(retryAfterS));
        throw new DomainError("RATE_LIMITED", { retryAfterS });
      }
      b.tokens -= 1;
      buckets.set(key, b);
      // A flood of distinct keys must not grow memory without bound.
      if (buckets.size > 50_000) buckets.clear();
    },
  };
}

/** A limit per client address (before sign-in, and under the per-user one). */
export function limitPerAddress(spec: RateLimitSpec, trustProxy = false): MiddlewareHandler<HttpEnv> {
  const buckets = createBuckets(spec);
  return async (c, next) => {
    buckets.take(clientAddress(c, trustProxy), c);
    await next();
  };
}

/** A limit per signed-in user (requests without a user pass: they are refused elsewhere). */
export function limitPerUser(spec: RateLimitSpec): MiddlewareHandler<HttpEnv> {
  const buckets = createBuckets(spec);
  return async (c, next) => {
    const user = c.get("user");
    if (user) buckets.take(user.id, c);
    await next();
  };
}

/**
 * Who is asking, for limits by address. A client may write any X-Forwarded-For
 * it likes; only the entry our own proxy appended (the last) is trustworthy, and
 * only when there is one. Otherwise the socket's address.
 */
export function clientAddress(c: Context<HttpEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header("x-forwarded-for")?.split(",");
    const last = hops?.[hops.length - 1]?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}

/** Only changing requests count against the write limits. */
export function writesOnly(...limiters: MiddlewareHandler<HttpEnv>[]): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const run = (i: number): Promise<void> =>
      i === limiters.length ? next() : (limiters[i](c, () => run(i + 1)) as Promise<void>);
    return run(0);
  };
}
