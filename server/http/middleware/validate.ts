import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { DomainError } from "../../domain/errors.js";

/**
 * zValidator whose failures become the same VALIDATION error (422 with field
 * issues, translated) as a domain verb's, instead of Hono's default 400.
 */
export const validated = <T extends keyof ValidationTargets, S extends z.ZodType>(target: T, schema: S) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new DomainError(
        "VALIDATION",
        {},
        result.error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message })),
      );
    }
  });
