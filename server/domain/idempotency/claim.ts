import { and, eq, isNull, lt, or } from "drizzle-orm";
import { idempotencyKeys } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validate.js";
import { ABANDONED_CLAIM_MS, claimIdempotencySchema, IDEMPOTENCY_TTL_MS } from "./schemas.js";

/**
 * What a request with an idempotency key may do: `claimed` — it is the first, go
 * ahead and write; `running` — the first one is still being written, wait for it;
 * `done` — answer with what the first one answered and write nothing.
 */
export type IdempotencyClaim =
  | { state: "claimed" }
  | { state: "running" }
  | { state: "done"; status: number; body: unknown };

/**
 * Claims the actor's key for one request. The claim is an insert that only one of
 * several racing requests can win (the primary key is (user, key)), so a double
 * tap writes once: the loser sees `running` and then `done`. A key older than 24 h
 * is free again. The same key with another route or body is a client mistake
 * (VALIDATION, reason idempotency_key_reused), never a silent replay of something else.
 */
export async function claimIdempotencyKey({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<IdempotencyClaim> {
  const data = parseInput(claimIdempotencySchema, input);
  const userId = ctx.actor.id;
  if (!userId) throw new DomainError("UNAUTHENTICATED");
  const now = ctx.clock.now();
  const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const abandoned = new Date(now.getTime() - ABANDONED_CLAIM_MS);
  // Opportunistic clean-up: every keyed write sweeps the expired answers (an index range scan).
  await ctx.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, expired));
  // Twice at most: the holder may release its claim (its write failed) between our insert and read.
  for (let attempt = 0; attempt < 2; attempt++) {
    const fresh = {
      route: data.route,
      requestHash: data.requestHash,
      status: null,
      body: null,
      createdAt: now,
    };
    const [won] = await ctx.db
      .insert(idempotencyKeys)
      .values({ userId, key: data.key, ...fresh })
      .onConflictDoUpdate({
        target: [idempotencyKeys.userId, idempotencyKeys.key],
        set: fresh,
        // An expired key the sweep above has not removed yet (a racing sweep) is free too, and so
        // is a claim abandoned by a process that died before its write ended.
        setWhere: or(
          lt(idempotencyKeys.createdAt, expired),
          and(isNull(idempotencyKeys.status), lt(idempotencyKeys.createdAt, abandoned)),
        ),
      })
      .returning({ key: idempotencyKeys.key });
    if (won) return { state: "claimed" };
    const [held] = await ctx.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, data.key)));
    if (!held) continue;
    if (held.route !== data.route || held.requestHash !== data.requestHash) {
      throw new DomainError("VALIDATION", { reason: "idempotency_key_reused" }, [
        { path: "Idempotency-Key", code: "idempotency_key_reused", message: "key used for another request" },
      ]);
    }
    if (held.status === null) return { state: "running" };
    return { state: "done", status: held.status, body: held.body };
  }
  return { state: "running" };
}
