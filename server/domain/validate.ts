import type { z } from "zod";
import { DomainError } from "./errors.js";

/** Parses verb input with its zod schema; failures become VALIDATION with field issues. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new DomainError(
    "VALIDATION",
    {},
    result.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message })),
  );
}
