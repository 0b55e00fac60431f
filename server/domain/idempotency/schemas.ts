import { z } from "zod";

/** How long an answer is kept for retries; after that the key may be used again. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A claim with no answer this old belongs to a request whose process died between
 * the claim and the write's end: the key is taken over, so a retry is not refused for
 * a day. Far longer than any request runs (the body is read before the claim).
 */
export const ABANDONED_CLAIM_MS = 2 * 60 * 1000;

/** A client's key: a UUID or similar, visible ASCII only (it travels as a header). */
export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/);

export const claimIdempotencySchema = z.object({
  key: idempotencyKeySchema,
  /** What the key is for: method and path ("POST /api/tickets/…/messages"). */
  route: z.string().min(1).max(500),
  /** A digest of the request's body, so a changed body under an old key is told apart from a retry. */
  requestHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ClaimIdempotencyInput = z.input<typeof claimIdempotencySchema>;

export const completeIdempotencySchema = z.object({
  key: idempotencyKeySchema,
  /** Only successful answers are kept: a refused request wrote nothing and may be tried again. */
  status: z.number().int().min(200).max(299),
  body: z.unknown(),
});
export type CompleteIdempotencyInput = z.input<typeof completeIdempotencySchema>;

export const releaseIdempotencySchema = z.object({ key: idempotencyKeySchema });
