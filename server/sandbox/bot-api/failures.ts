/** Error answers of the fake Bot API, shaped and worded like Telegram's. */
export interface Failure {
  error_code: number;
  description: string;
  retry_after?: number;
}

/** Telegram's own error texts for the cases the product handles. */
export const FAILURES = {
  tooMany: (retryAfter: number): Failure => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    retry_after: retryAfter,
  }),
  blocked: (): Failure => ({ error_code: 403, description: "Forbidden: bot was blocked by the user" }),
  badRequest: (what = "message text is empty"): Failure => ({
    error_code: 400,
    description: `Bad Request: ${what}`,
  }),
  serverError: (): Failure => ({ error_code: 500, description: "Internal Server Error" }),
};

/** The most calls that fall in any window of the given length (sliding). */
export function maxInWindow(timestamps: number[], windowMs: number): number {
  const ts = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < ts.length; end++) {
    while (ts[end] - ts[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
