import { useCallback, useState } from "react";
import type { z } from "zod";
import { ApiError, type FieldIssue, messageOf } from "./api.js";
import { formatNumber } from "./format.js";
import { t } from "./i18n.js";
import { haptic } from "./telegram.js";

/**
 * The server names the fields of a 422 with zod's codes and leaves the words to us
 * (its `message` is zod's English). A code we have no text for reads "not valid".
 */
export function issueText(issue: FieldIssue, lang: string): string {
  const numeric = issue.limit !== undefined && (issue.code === "too_small" || issue.code === "too_big");
  const key = numeric ? `field_error.${issue.code}_n` : `field_error.${issue.code}`;
  return t(key, {
    limit: issue.limit === undefined ? "" : formatNumber(issue.limit, lang),
    defaultValue: t("field_error.invalid"),
  });
}

/** Field path ("sla.high.firstResponse") → translated text; the first issue of a path wins. */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(e: unknown, lang: string): FieldErrors {
  const out: FieldErrors = {};
  if (!(e instanceof ApiError)) return out;
  for (const issue of e.issues) out[issue.path] ??= issueText(issue, lang);
  return out;
}

/**
 * A client-side check's issues in the server's shape (server/domain/validate.ts
 * issuesOf): the path joined with dots, zod's code (or a refinement's own), a numeric
 * bound as `limit`; so one translation says both.
 */
export function issuesOfCheck(error: { issues: readonly z.core.$ZodIssue[] }): FieldIssue[] {
  return error.issues.map((i) => {
    const own = i.code === "custom" && typeof i.params?.code === "string" ? i.params.code : null;
    const issue: FieldIssue = { path: i.path.join("."), code: own ?? i.code };
    if (i.code === "custom" && typeof i.params?.limit === "number") issue.limit = i.params.limit;
    if ((i.code === "too_small" || i.code === "too_big") && i.origin === "number")
      issue.limit = Number(i.code === "too_small" ? i.minimum : i.maximum);
    return issue;
  });
}

/**
 * The message above a form: the server's, unless a refusal other than "invalid
 * input" is already explained field by field (a 409 "Telegram id taken" would
 * otherwise read "someone else changed this").
 */
export function formMessageOf(e: unknown, fields: FieldErrors): string {
  if (e instanceof ApiError && e.code !== "VALIDATION" && Object.keys(fields).length > 0) return "";
  return messageOf(e);
}

/** The error shown under one input; nothing when the field is fine. */
export function FieldError({ errors, path }: { errors: FieldErrors; path: string }) {
  const text = errors[path];
  if (!text) return null;
  return (
    <span className="field-error" role="alert" data-field={path}>
      {text}
    </span>
  );
}

/**
 * A form's refusal state: `refuse(e)` shows the server's answer field by field
 * (and above the form when no field explains it) with an error haptic; `clear()`
 * before each new try.
 */
export function useFormRefusal(lang: string) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const clear = useCallback(() => {
    setErrors({});
    setError(null);
  }, []);
  const refuse = useCallback(
    (e: unknown) => {
      haptic("error");
      const fields = fieldErrorsOf(e, lang);
      setErrors(fields);
      setError(formMessageOf(e, fields) || null);
    },
    [lang],
  );
  /**
   * Checks the form's value with its schema before it is sent: false (and each
   * field's error shown, with an error haptic) when something is wrong.
   */
  const check = useCallback(
    <S extends z.ZodType>(schema: S, value: unknown): value is z.output<S> => {
      const result = schema.safeParse(value);
      if (result.success) return true;
      haptic("error");
      const fields: FieldErrors = {};
      for (const issue of issuesOfCheck(result.error)) fields[issue.path] ??= issueText(issue, lang);
      setErrors(fields);
      // The same words above the form as the server's 422 would bring.
      setError(t("errors:VALIDATION"));
      return false;
    },
    [lang],
  );
  return { errors, error, setError, clear, refuse, check };
}
