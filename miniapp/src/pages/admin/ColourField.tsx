import { FieldError, type FieldErrors } from "../../field-errors.js";
import { t } from "../../i18n.js";

/** A small palette that reads well on Telegram's light and dark themes. */
export const PALETTE = [
  "#E53935",
  "#FB8C00",
  "#FDD835",
  "#43A047",
  "#00897B",
  "#1E88E5",
  "#8E24AA",
  "#607D8B",
];

/**
 * A colour as swatches (the palette, plus the current value when it is not one of
 * them) and the #RRGGBB text for any other; a tap picks, Save stores.
 */
export function ColourField({
  name,
  value,
  onChange,
  errors,
}: {
  name: string;
  value: string;
  onChange: (value: string) => void;
  errors: FieldErrors;
}) {
  const current = value.trim().toUpperCase();
  const valid = /^#[0-9A-F]{6}$/.test(current);
  const swatches = valid && !PALETTE.includes(current) ? [current, ...PALETTE] : PALETTE;
  return (
    <fieldset className="field colour-field">
      <legend>{t("admin.color")}</legend>
      <div className="colour-swatches">
        {swatches.map((c) => (
          <button
            key={c}
            type="button"
            className={c === current ? "colour-swatch on" : "colour-swatch"}
            style={{ backgroundColor: c }}
            aria-pressed={c === current}
            aria-label={t("admin.colour_swatch", { color: c })}
            title={c}
            onClick={() => onChange(c)}
          />
        ))}
      </div>
      <span className="colour-text">
        <span className="swatch-preview" style={valid ? { backgroundColor: current } : undefined} />
        <input
          name={name}
          aria-label={t("admin.color")}
          aria-invalid={errors[name] ? true : undefined}
          dir="ltr"
          placeholder="#1E88E5"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      </span>
      <FieldError errors={errors} path={name} />
    </fieldset>
  );
}
