import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  DomainError,
  type IdempotencyClaim,
  releaseIdempotencyKey,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";

/** How long a duplicate waits for the first request's answer before giving up with 409. */
const WAIT_FOR_FIRST_MS = 10_000;

/**
 * `Idempotency-Key` on a write: the first request with a key runs, the others get
 * its answer (same status and body, `Idempotent-Replayed: true`) and write nothing.
 * A duplicate that arrives while the first is still running (a double tap) waits
 * for it. The rules (per user, 24 h, a different body is refused) are the domain's.
 * Requests without the header pass through untouched.
 */
export function idempotent(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    const ctx = c.get("svc");
    const input = { key, route: `${c.req.method} ${c.req.path}`, requestHash: await fingerprint(c) };
    let claim: IdempotencyClaim = await claimIdempotencyKey({ ctx, input });
    for (let waited = 0, pause = 25; claim.state === "running" && waited < WAIT_FOR_FIRST_MS; ) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      waited += pause;
      pause = Math.min(pause * 2, 500);
      claim = await claimIdempotencyKey({ ctx, input });
    }
    if (claim.state === "running") throw new DomainError("CONFLICT", { reason: "idempotency_in_progress" });
    if (claim.state === "done") {
      c.header("Idempotent-Replayed", "true");
      return c.json(claim.body as object, claim.status as ContentfulStatusCode);
    }
    try {
      await next();
    } catch (err) {
      await releaseIdempotencyKey({ ctx, input: { key } });
      throw err;
    }
    // Hono has already turned a thrown error into its answer here; only a success is kept.
    if (c.res.ok) {
      const body = await c.res.clone().json();
      await completeIdempotencyKey({ ctx, input: { key, status: c.res.status, body } });
    } else {
      await releaseIdempotencyKey({ ctx, input: { key } });
    }
  };
}

/**
 * A digest of what the request asks for. Multipart is read field by field (files by
 * name, type, size and bytes): the boundary differs on every send of the same form.
 */
async function fingerprint(c: Context<HttpEnv>): Promise<string> {
  const hash = createHash("sha256");
  if ((c.req.header("content-type") ?? "").includes("multipart/form-data")) {
    const form = await c.req.formData().catch(() => null);
    for (const [name, value] of form?.entries() ?? []) {
      hash.update(`${name}\0`);
      if (typeof value === "string") hash.update(value);
      else {
        hash.update(`${value.name}\0${value.type}\0${value.size}\0`);
        hash.update(new Uint8Array(await value.arrayBuffer()));
      }
      hash.update("\0");
    }
  } else {
    hash.update(await c.req.text());
  }
  return hash.digest("hex");
}
