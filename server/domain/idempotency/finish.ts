import { and, eq, isNull } from "drizzle-orm";
import { idempotencyKeys } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validate.js";
import { completeIdempotencySchema, releaseIdempotencySchema } from "./schemas.js";

function actorId(ctx: ServiceContext): string {
  if (!ctx.actor.id) throw new DomainError("UNAUTHENTICATED");
  return ctx.actor.id;
}

/** Keeps the first request's answer, which every retry with the key gets from now on. */
export async function completeIdempotencyKey({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<void> {
  const data = parseInput(completeIdempotencySchema, input);
  await ctx.db
    .update(idempotencyKeys)
    .set({ status: data.status, body: data.body ?? null })
    .where(
      and(
        eq(idempotencyKeys.userId, actorId(ctx)),
        eq(idempotencyKeys.key, data.key),
        isNull(idempotencyKeys.status),
      ),
    );
}

/**
 * Gives the key back after a refused request (a 4xx, an error): it wrote nothing,
 * so a retry with the same key must be able to try again rather than replay a refusal.
 */
export async function releaseIdempotencyKey({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<void> {
  const data = parseInput(releaseIdempotencySchema, input);
  await ctx.db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.userId, actorId(ctx)),
        eq(idempotencyKeys.key, data.key),
        isNull(idempotencyKeys.status),
      ),
    );
}
