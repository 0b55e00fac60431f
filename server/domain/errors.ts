/** The closed set of failure codes the domain speaks; each door translates them. */
export const ERROR_CODES = [
  "NOT_FOUND",
  "FORBIDDEN",
  "CONFLICT",
  "VALIDATION",
  "INVALID_TRANSITION",
  "LIMIT_EXCEEDED",
  "RATE_LIMITED",
  "UNAUTHENTICATED",
  "USER_INACTIVE",
  "LAST_OWNER",
  /** The caller's copy is stale: the thing changed since they read it (If-Match). */
  "PRECONDITION_FAILED",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  code: string;
  message: string;
  /** The bound a number missed (too_small / too_big). */
  limit?: number;
}

/**
 * The only error the domain throws on purpose. `details` carries data for the
 * translated message (e.g. { from, to } of a refused transition), never text.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, unknown> = {},
    readonly issues: FieldIssue[] = [],
  ) {
    super(`${code}${Object.keys(details).length ? ` ${JSON.stringify(details)}` : ""}`);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export const notFound = (entity: string, id?: string) => new DomainError("NOT_FOUND", { entity, id });
export const forbidden = (action: string) => new DomainError("FORBIDDEN", { action });
export const conflict = (reason: string) => new DomainError("CONFLICT", { reason });
