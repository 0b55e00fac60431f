import { useEffect, useState } from "react";
import { ApiError, api } from "../api.js";
import { useApp } from "../app-context.js";
import { localName } from "../format.js";
import { t } from "../i18n.js";
import { haptic } from "../telegram.js";
import { CatalogEditor, type CatalogItem as Item, type CatalogKind as Kind } from "./admin/CatalogEditor.js";

/**
 * Branches, categories and labels: list (with inactive ones), add, rename (names,
 * emoji, colour; a branch's staff chat) and deactivate/activate.
 */
export function AdminCatalog({ kind }: { kind: Kind }) {
  const { lang, reloadMeta } = useApp();
  const [items, setItems] = useState<Item[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const reload = () => api<Item[]>("GET", `/api/${kind}?includeInactive=true`).then(setItems);
  // After a change, the rest of the app's names and pickers follow (opening the screen changes nothing).
  const changed = () => {
    reloadMeta();
    return reload();
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload reads kind
  useEffect(() => {
    void reload();
  }, [kind]);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      haptic("success");
      await changed();
    } catch (e) {
      haptic("error");
      setError(e instanceof ApiError ? e.message : t("error.generic"));
    }
  };
  const add = () =>
    run(async () => {
      const name = {
        fa: form.fa ?? "",
        ...(form.en ? { en: form.en } : {}),
        ...(form.ru ? { ru: form.ru } : {}),
      };
      const body =
        kind === "labels"
          ? { name: form.label ?? "", ...(form.color ? { color: form.color } : {}) }
          : {
              code: form.code ?? "",
              name,
              ...(kind === "categories" && form.emoji ? { emoji: form.emoji } : {}),
              ...(form.color && kind === "categories" ? { color: form.color } : {}),
            };
      await api("POST", `/api/${kind}`, body);
      setForm({});
    });
  const field = (key: string, label: string) => (
    <input
      aria-label={label}
      placeholder={label}
      value={form[key] ?? ""}
      onChange={(e) => setForm({ ...form, [key]: e.target.value })}
    />
  );
  const title = (i: Item) => (typeof i.name === "string" ? i.name : localName(i.name, lang));
  return (
    <div className="page">
      <h2>{t(`admin.${kind}`)}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="list">
        {items.map((i) => (
          <li key={i.id} className={i.isActive ? "admin-row" : "admin-row inactive"}>
            <span className="row-main">
              <span className="row-title">
                {i.emoji ? `${i.emoji} ` : ""}
                {title(i)}
              </span>
              <span className="row-sub">
                {i.code ?? i.color}
                {i.staffChatId != null && ` · ${t("admin.staff_chat_id")}: ${i.staffChatId}`}
              </span>
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing(editing === i.id ? null : i.id)}
            >
              {t("admin.edit")}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => run(() => api("PATCH", `/api/${kind}/${i.id}`, { isActive: !i.isActive }))}
            >
              {i.isActive ? t("admin.deactivate") : t("admin.activate")}
            </button>
            {editing === i.id && (
              <CatalogEditor
                kind={kind}
                item={i}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) void changed();
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <div className="form">
        {kind === "labels" ? (
          field("label", t("admin.label_name"))
        ) : (
          <>
            {field("code", t("admin.code"))}
            {field("fa", t("admin.name_fa"))}
            {field("en", t("admin.name_en"))}
            {field("ru", t("admin.name_ru"))}
            {kind === "categories" && field("emoji", t("admin.emoji"))}
          </>
        )}
        {kind !== "branches" && field("color", t("admin.color"))}
        <button type="button" onClick={add}>
          {t("admin.add")}
        </button>
      </div>
    </div>
  );
}
