import type { Context, MiddlewareHandler } from "hono";
import type { DbOrTx } from "../../../drizzle/client.js";
import { DomainError } from "../../domain/errors.js";
import { bucketKey, takeToken } from "../../domain/rate-limits/index.js";
import type { HttpEnv, RateLimitSpec } from "../env.js";

/**
 * Token buckets by key: `burst` requests at once, refilled at `perMinute`. Over
 * the limit → RATE_LIMITED (429) with Retry-After. The buckets are rows of
 * `rate_buckets` (server/domain/rate-limits/take.ts), so every instance behind
 * the load balancer counts against the same limit; one statement per take.
 * `name` keeps limits apart that count by the same key (a user's writes, their sign-ins).
 */
export function createBuckets(db: DbOrTx, name: string, spec: RateLimitSpec) {
  return {
    /** Takes one request from `key`'s bucket, or throws (setting Retry-After on `c`). */
    async take(key: string, c: Context<HttpEnv>): Promise<void> {
      const taken = await takeToken(db, bucketKey(name, spec, key), spec);
      if (taken.granted) return;
      c.header("Retry-After", String(taken.retryAfterS));
      throw new DomainError("RATE_LIMITED", { retryAfterS: taken.retryAfterS });
    },
  };
}

/** A limit per client address (before sign-in, and under the per-user one). */
export function limitPerAddress(
  db: DbOrTx,
  name: string,
  spec: RateLimitSpec,
  trustProxy = false,
): MiddlewareHandler<HttpEnv> {
  const buckets = createBuckets(db, name, spec);
  return async (c, next) => {
    await buckets.take(clientAddress(c, trustProxy), c);
    await next();
  };
}

/** A limit per signed-in user (requests without a user pass: they are refused elsewhere). */
export function limitPerUser(db: DbOrTx, name: string, spec: RateLimitSpec): MiddlewareHandler<HttpEnv> {
  const buckets = createBuckets(db, name, spec);
  return async (c, next) => {
    const user = c.get("user");
    if (user) await buckets.take(user.id, c);
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
