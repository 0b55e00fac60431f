export { claimIdempotencyKey, type IdempotencyClaim } from "./claim.js";
export { completeIdempotencyKey, releaseIdempotencyKey } from "./finish.js";
export { IDEMPOTENCY_TTL_MS, idempotencyKeySchema } from "./schemas.js";
