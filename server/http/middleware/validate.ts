import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import { validator } from "hono/validator";
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

function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new DomainError("VALIDATION", {}, issuesOf(result.error));
  return result.data;
}

/**
 * The JSON body checked at the door, typed like `validated("json", schema)` so
 * AppType carries it, but read whatever Content-Type the client sent: Hono's json
 * validator would see no body without "application/json" and let `{}` through.
 * With `form`, a multipart body's fields are mapped to the same shape (files are
 * the route's to read).
 */
export function validatedJson<S extends z.ZodType>(
  schema: S,
  opts: { form?: (form: FormData) => unknown } = {},
) {
  const middleware = validator("json", async (_ignored, c) => {
    const multipart = (c.req.header("content-type") ?? "").includes("multipart/form-data");
    if (opts.form && multipart) return check(schema, opts.form(await formOf(c)));
    return check(schema, await jsonBody(c));
  });
  return middleware as unknown as ReturnType<typeof validated<"json", S>>;
}

async function formOf(c: Context): Promise<FormData> {
  return c.req.formData().catch(() => {
    throw new DomainError("VALIDATION", {}, [
      { path: "", code: "invalid_form", message: "invalid multipart body" },
    ]);
  });
}
