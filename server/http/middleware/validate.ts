import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import { issuesOf } from "../../domain/validate.js";
import { jsonBody } from "../routes/message-input.js";

/**
 * zValidator whose failures become the same VALIDATION error (422 with field
 * issues, translated) as a domain verb's, instead of Hono's default 400.
 */
export const validated = <T extends keyof ValidationTargets, S extends z.ZodType>(target: T, schema: S) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new DomainError("VALIDATION", {}, issuesOf(result.error));
    }
  });

/**
 * The JSON body checked against a schema, whatever Content-Type the client sent
 * (Hono's json validator would see no body without "application/json" and let an
 * empty object through). Anything else is the same VALIDATION error.
 */
export async function validJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const result = schema.safeParse(await jsonBody(c));
  if (!result.success) throw new DomainError("VALIDATION", {}, issuesOf(result.error));
  return result.data;
}
