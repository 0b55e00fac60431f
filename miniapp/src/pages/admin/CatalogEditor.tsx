import { useState } from "react";
import { api } from "../../api.js";
import { useApp } from "../../app-context.js";
import { useFormRefusal } from "../../field-errors.js";
import { t } from "../../i18n.js";
import { haptic } from "../../telegram.js";
import { numberOrRaw, TextField } from "./TextField.js";

export type CatalogKind = "branches" | "categories" | "labels";
export interface CatalogItem {
  id: string;
  code?: string;
  name: string | { fa: string; en?: string; ru?: string };
  emoji?: string;
  color?: string;
  staffChatId?: number | null;
  isActive: boolean;
}

/** The form's text for each field the kind has (branches and categories: names per language). */
function initialForm(kind: CatalogKind, item: CatalogItem): Record<string, string> {
  if (kind === "labels") return { name: String(item.name), color: item.color ?? "" };
  const name = typeof item.name === "string" ? { fa: item.name } : item.name;
  const form: Record<string, string> = {
    "name.fa": name.fa,
    "name.en": name.en ?? "",
    "name.ru": name.ru ?? "",
  };
  if (kind === "categories") Object.assign(form, { emoji: item.emoji ?? "", color: item.color ?? "" });
  if (kind === "branches") form.staffChatId = item.staffChatId == null ? "" : String(item.staffChatId);
  return form;
}

/** The PATCH body: names as one object (a blank translation is left out), the rest as typed. */
function bodyOf(kind: CatalogKind, form: Record<string, string>): Record<string, unknown> {
  if (kind === "labels") return { name: form.name, color: form.color };
  const name: Record<string, string> = { fa: form["name.fa"] };
  if (form["name.en"].trim()) name.en = form["name.en"];
  if (form["name.ru"].trim()) name.ru = form["name.ru"];
  if (kind === "categories") return { name, emoji: form.emoji, color: form.color };
  return { name, staffChatId: numberOrRaw(form.staffChatId) };
}

/** Renames an entry (and its emoji, colour or staff chat) in place, with the server's field errors. */
export function CatalogEditor({
  kind,
  item,
  onDone,
}: {
  kind: CatalogKind;
  item: CatalogItem;
  onDone: (saved: boolean) => void;
}) {
  const { lang } = useApp();
  const [form, setForm] = useState(() => initialForm(kind, item));
  const { errors, error, clear, refuse } = useFormRefusal(lang);
  const field = (name: string, label: string, inputMode?: "numeric") => (
    <TextField
      name={name}
      label={label}
      inputMode={inputMode}
      value={form[name] ?? ""}
      onChange={(v) => setForm({ ...form, [name]: v })}
      errors={errors}
    />
  );
  const save = async () => {
    clear();
    try {
      await api("PATCH", `/api/${kind}/${item.id}`, bodyOf(kind, form));
      haptic("success");
      onDone(true);
    } catch (e) {
      refuse(e);
    }
  };
  return (
    <div className="form row-editor">
      {kind === "labels" ? (
        field("name", t("admin.label_name"))
      ) : (
        <>
          {field("name.fa", t("admin.name_fa"))}
          {field("name.en", t("admin.name_en"))}
          {field("name.ru", t("admin.name_ru"))}
        </>
      )}
      {kind === "categories" && field("emoji", t("admin.emoji"))}
      {kind !== "branches" && field("color", t("admin.color"))}
      {kind === "branches" && (
        <>
          {field("staffChatId", t("admin.staff_chat_id"), "numeric")}
          <p className="hint">{t("admin.staff_chat_hint")}</p>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="subnav">
        <button type="button" onClick={save}>
          {t("admin.save")}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          {t("admin.cancel")}
        </button>
      </div>
    </div>
  );
}
