import { FieldError, type FieldErrors } from "../../field-errors.js";

/**
 * One labelled input with the server's error for it underneath. `name` is the
 * field's path in the request body, so a 422 lands next to the right input.
 */
export function TextField({
  name,
  label,
  value,
  onChange,
  errors,
  inputMode,
  dir,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  errors: FieldErrors;
  inputMode?: "numeric" | "text";
  /** "auto" for what people type in their own language (names), so Persian and Latin both read right. */
  dir?: "auto" | "ltr";
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        name={name}
        aria-label={label}
        aria-invalid={errors[name] ? true : undefined}
        inputMode={inputMode}
        dir={dir ?? (inputMode === "numeric" ? "ltr" : undefined)}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldError errors={errors} path={name} />
    </label>
  );
}

/** What a number input holds, for the body: blank → null; not a number → as typed, for the server to refuse. */
export function numberOrRaw(v: string): number | string | null {
  const s = v.trim();
  if (s === "") return null;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
}
