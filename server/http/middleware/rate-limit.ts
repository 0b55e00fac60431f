import type { Context, MiddlewareHandler } from "hono";
import { DomainError } from "../../domain/errors.js";
import type { HttpEnv } from "../env.js";

/**
 * A token bucket per key (user id when signed in, else client address): `burst`
 * requests at once, refilled at `perMinute`. Over the limit → 429 with
 * Retry-After. In memory, per process: enough to stop a runaway client.
 */
export function rateLimit(
  opts: { perMinute: number; burst: number },
  trustProxy = false,
): MiddlewareHandler<HttpEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = opts.perMinute / 60_000;
  return async (c, next) => {
    const user = c.get("user");
    const key = user?.id ?? clientAddress(c, trustProxy);
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

/**
 * Who is asking, for limits before sign-in. A client may write any X-Forwarded-For
 * it likes; only the entry our own proxy appended (the last) is trustworthy, and
 * only when there is one. Otherwise the socket's address.
 */
function clientAddress(c: Context<HttpEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header("x-forwarded-for")?.split(",");
    const last = hops?.[hops.length - 1]?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "local";
}

/** Only changing requests count against the write limit. */
export function writesOnly(limiter: MiddlewareHandler<HttpEnv>): MiddlewareHandler<HttpEnv> {
  return async (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limiter(c, next));
}
