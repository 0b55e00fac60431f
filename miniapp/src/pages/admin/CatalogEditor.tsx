import { useState } from "react";
import { useApp } from "../../app-context.js";
import { useFormRefusal } from "../../field-errors.js";
import { branchForm, categoryForm, labelForm } from "../../forms/schemas.js";
import { t } from "../../i18n.js";
import {
  type CatalogBody,
  type CatalogKind,
  type CatalogRow,
  useCatalogSave,
} from "../../remote/admin-queries.js";
import { haptic } from "../../telegram.js";
import { ColourField, PALETTE } from "./ColourField.js";
import { numberOrRaw, TextField } from "./TextField.js";

const LANGS = ["fa", "en", "ru"] as const;
type Texts = Partial<Record<(typeof LANGS)[number], string>>;

/** The form's text for each field the kind has; a new entry starts blank with the palette's first colour. */
function initialForm(kind: CatalogKind, item: CatalogRow | null): Record<string, string> {
  const row = (item ?? {}) as Partial<Record<string, unknown>>;
  if (kind === "labels") return { name: String(row.name ?? ""), color: String(row.color ?? PALETTE[5]) };
  const form: Record<string, string> = item ? {} : { code: "" };
  const name = (row.name ?? {}) as Texts;
  for (const l of LANGS) form[`name.${l}`] = name[l] ?? "";
  if (kind === "categories") {
    const description = (row.description ?? {}) as Texts;
    for (const l of LANGS) form[`description.${l}`] = description[l] ?? "";
    form.emoji = String(row.emoji ?? "📁");
    form.color = String(row.color ?? PALETTE[7]);
    form.sortOrder = String(row.sortOrder ?? 0);
  }
  if (kind === "branches") form.staffChatId = row.staffChatId == null ? "" : String(row.staffChatId);
  return form;
}

/** Per-language texts with the blank ones left out (a blank translation is "none", not ""). */
function textsOf(form: Record<string, string>, prefix: string): Texts {
  return Object.fromEntries(
    LANGS.filter((l) => form[`${prefix}.${l}`]?.trim()).map((l) => [l, form[`${prefix}.${l}`]]),
  );
}

/** The body as the server takes it: names as one object, numbers as numbers (or as typed, to be refused). */
function bodyOf(kind: CatalogKind, form: Record<string, string>): Record<string, unknown> {
  if (kind === "labels") return { name: form.name, color: form.color.trim() };
  const body: Record<string, unknown> = { name: { fa: form["name.fa"] ?? "", ...textsOf(form, "name") } };
  if (form.code !== undefined) body.code = form.code;
  if (kind === "categories")
    Object.assign(body, {
      description: textsOf(form, "description"),
      emoji: form.emoji,
      color: form.color.trim(),
      sortOrder: numberOrRaw(form.sortOrder) ?? "",
    });
  if (kind === "branches") body.staffChatId = numberOrRaw(form.staffChatId);
  return body;
}

const SCHEMA = { branches: branchForm, categories: categoryForm, labels: labelForm };

/**
 * Adds an entry (item null) or edits one in place: names per language, a category's
 * description, emoji, colour (swatches) and place in the lists, a label's name and
 * colour, a branch's staff chat. Checked here first, then by the server; each error
 * is shown next to its field; nothing is stored before Save.
 */
export function CatalogEditor({
  kind,
  item,
  onDone,
}: {
  kind: CatalogKind;
  item: CatalogRow | null;
  onDone: (saved: boolean) => void;
}) {
  const { lang } = useApp();
  const [form, setForm] = useState(() => initialForm(kind, item));
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const save = useCatalogSave(kind);
  const set = (name: string) => (v: string) => setForm((f) => ({ ...f, [name]: v }));
  const field = (name: string, label: string, opts: { numeric?: boolean; auto?: boolean } = {}) => (
    <TextField
      name={name}
      label={label}
      inputMode={opts.numeric ? "numeric" : undefined}
      dir={opts.auto ? "auto" : undefined}
      value={form[name] ?? ""}
      onChange={set(name)}
      errors={errors}
    />
  );
  const submit = async () => {
    clear();
    const body = bodyOf(kind, form);
    if (!check(SCHEMA[kind], body)) return;
    try {
      await save.mutateAsync({ id: item?.id, body: body as CatalogBody });
      haptic("success");
      if (!item) setForm(initialForm(kind, null));
      onDone(true);
    } catch (e) {
      refuse(e);
    }
  };
  return (
    <div className={item ? "form row-editor catalog-editor" : "form catalog-editor catalog-new"}>
      {!item && kind !== "labels" && field("code", t("admin.code"))}
      {kind === "labels"
        ? field("name", t("admin.label_name"), { auto: true })
        : LANGS.map((l) => (
            <span key={l} className="field-slot">
              {field(`name.${l}`, t(`admin.name_${l}`), { auto: true })}
            </span>
          ))}
      {kind === "categories" &&
        LANGS.map((l) => (
          <span key={l} className="field-slot">
            {field(`description.${l}`, t(`admin.description_${l}`), { auto: true })}
          </span>
        ))}
      {kind === "categories" && field("emoji", t("admin.emoji"))}
      {kind !== "branches" && (
        <ColourField name="color" value={form.color ?? ""} onChange={set("color")} errors={errors} />
      )}
      {kind === "categories" && (
        <>
          {field("sortOrder", t("admin.sort_order"), { numeric: true })}
          <p className="hint">{t("admin.sort_order_hint")}</p>
        </>
      )}
      {kind === "branches" && (
        <>
          {field("staffChatId", t("admin.staff_chat_id"), { numeric: true })}
          <p className="hint">{t("admin.staff_chat_hint")}</p>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="subnav">
        <button type="button" disabled={save.isPending} onClick={() => void submit()}>
          {item ? t("admin.save") : t("admin.add")}
        </button>
        {item && (
          <button type="button" className="secondary" onClick={() => onDone(false)}>
            {t("admin.cancel")}
          </button>
        )}
      </div>
    </div>
  );
}
