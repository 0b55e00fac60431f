import type { z } from "zod";
import { DomainError, type FieldIssue } from "./errors.js";

/**
 * zod's issues as the domain reports them. A numeric bound travels as `limit`, so a
 * door can say "at least 1" in the user's language rather than zod's English.
 */
export function issuesOf(error: { issues: readonly z.core.$ZodIssue[] }): FieldIssue[] {
  return error.issues.map((i) => {
    // A rule of our own (superRefine) names its code in params, so a door can translate it.
    const params = i.code === "custom" ? i.params : undefined;
    const own = typeof params?.code === "string" ? params.code : null;
    const issue: FieldIssue = { path: i.path.join("."), code: own ?? i.code, message: i.message };
    if ((i.code === "too_small" || i.code === "too_big") && i.origin === "number") {
      const bound = i.code === "too_small" ? i.minimum : i.maximum;
      issue.limit = Number(bound);
    }
    if (own && typeof params?.limit === "number") issue.limit = params.limit;
    return issue;
  });
}

/** Parses verb input with its zod schema; failures become VALIDATION with field issues. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new DomainError("VALIDATION", {}, issuesOf(result.error));
}
