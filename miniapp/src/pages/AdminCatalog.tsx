import { useState } from "react";
import { useApp } from "../app-context.js";
import { formatNumber, localName } from "../format.js";
import { t } from "../i18n.js";
import {
  type CatalogRow,
  type CatalogKind as Kind,
  useCatalogList,
  useCatalogSave,
} from "../remote/admin-queries.js";
import { ErrorRetry, errorText, ListSkeleton } from "../states.js";
import { haptic } from "../telegram.js";
import { CatalogEditor } from "./admin/CatalogEditor.js";

/** What a row shows whatever its kind (the typed rows differ by kind). */
interface Shown {
  id: string;
  isActive: boolean;
  name: string | { fa: string; en?: string; ru?: string };
  code?: string;
  emoji?: string;
  color?: string;
  sortOrder?: number;
  description?: { fa?: string; en?: string; ru?: string };
  staffChatId?: number | null;
}

/** A description in the reader's language, else in any it was written in. */
const describe = (d: NonNullable<Shown["description"]>, lang: string) =>
  d[lang as "fa"] ?? d.fa ?? d.en ?? d.ru ?? "";

/**
 * Branches, categories and labels: list (with inactive ones, categories in their
 * order), add, edit in place (names, a category's description, emoji, colour and
 * order, a branch's staff chat) and deactivate/activate.
 */
export function AdminCatalog({ kind }: { kind: Kind }) {
  const { lang } = useApp();
  const list = useCatalogList(kind);
  const save = useCatalogSave(kind);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const switchActive = async (item: Shown) => {
    setError(null);
    try {
      await save.mutateAsync({ id: item.id, body: { isActive: !item.isActive } });
      haptic("success");
    } catch (e) {
      haptic("error");
      setError(errorText(e));
    }
  };
  const title = (i: Shown) => (typeof i.name === "string" ? i.name : localName(i.name, lang));
  const items: Shown[] = list.data ?? [];
  return (
    <div className="page">
      <h2>{t(`admin.${kind}`)}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {list.isPending && <ListSkeleton rows={4} />}
      {list.isError && <ErrorRetry error={list.error} onRetry={() => void list.refetch()} />}
      <ul className="list">
        {items.map((i) => (
          <li
            key={i.id}
            className={i.isActive ? "admin-row" : "admin-row inactive"}
            data-catalog={i.code ?? i.id}
          >
            <span className="row-main">
              <span className="row-title" dir="auto">
                {i.color && <span className="swatch-dot" style={{ backgroundColor: i.color }} aria-hidden />}
                {i.emoji ? `${i.emoji} ` : ""}
                {title(i)}
              </span>
              <span className="row-sub">
                <bdi dir="ltr">{i.code ?? i.color}</bdi>
                {i.sortOrder !== undefined &&
                  ` · ${t("admin.order_n", { n: formatNumber(i.sortOrder, lang) })}`}
                {i.staffChatId != null && (
                  <>
                    {" · "}
                    {t("admin.staff_chat_id")}: <bdi dir="ltr">{i.staffChatId}</bdi>
                  </>
                )}
              </span>
              {i.description && describe(i.description, lang) && (
                <span className="row-sub" dir="auto" data-description>
                  {describe(i.description, lang)}
                </span>
              )}
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing(editing === i.id ? null : i.id)}
            >
              {t("admin.edit")}
            </button>
            <button type="button" className="secondary" onClick={() => void switchActive(i)}>
              {i.isActive ? t("admin.deactivate") : t("admin.activate")}
            </button>
            {editing === i.id && (
              <CatalogEditor
                kind={kind}
                item={i as unknown as CatalogRow}
                onDone={() => {
                  setEditing(null);
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <h3>{t("admin.add")}</h3>
      <CatalogEditor key={kind} kind={kind} item={null} onDone={() => {}} />
    </div>
  );
}
