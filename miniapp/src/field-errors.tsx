import { useCallback, useState } from "react";
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
  return { errors, error, setError, clear, refuse };
}
