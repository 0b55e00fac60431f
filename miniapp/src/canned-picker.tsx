import { forwardRef, type KeyboardEvent, useEffect, useImperativeHandle, useMemo, useState } from "react";
import { t } from "./i18n.js";
import { type CannedReply, useCannedReplies } from "./remote/canned-queries.js";

/** Persian typed on an Arabic keyboard (ي, ك) finds Persian text (ی, ک); case does not matter. */
export const searchable = (s: string) => s.replace(/ي/g, "ی").replace(/ك/g, "ک").toLowerCase();

const matches = (r: CannedReply, q: string) =>
  !q || searchable([r.title, ...Object.values(r.bodies)].join(" ")).includes(searchable(q));

export interface CannedPickerHandle {
  /** The composer's key presses while the picker is open: true when the picker used the key. */
  key(e: KeyboardEvent): boolean;
}

/**
 * The canned replies a staff member may use on this ticket, filtered by what follows
 * the "/" typed at the start of the composer: tap, or ↑ ↓ and Enter, to choose.
 * The list is fetched once per open ticket and filtered here as one types.
 */
export const CannedPicker = forwardRef<
  CannedPickerHandle,
  { ticketId: string; query: string; onPick(reply: CannedReply): void; onClose(): void }
>(function CannedPicker({ ticketId, query, onPick, onClose }, ref) {
  // Cached per ticket: opening the picker again on the same ticket asks nothing.
  const list = useCannedReplies({ ticketId });
  const replies = list.isError ? [] : (list.data ?? null);
  const [active, setActive] = useState(0);
  const shown = useMemo(() => (replies ?? []).filter((r) => matches(r, query)), [replies, query]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search starts at the top
  useEffect(() => setActive(0), [query]);

  useImperativeHandle(
    ref,
    () => ({
      key(e) {
        if (e.key === "Escape") {
          onClose();
          return true;
        }
        if (!shown.length) return false;
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          const step = e.key === "ArrowDown" ? 1 : -1;
          setActive((i) => (i + step + shown.length) % shown.length);
          return true;
        }
        if (e.key === "Enter" && !e.shiftKey) {
          onPick(shown[Math.min(active, shown.length - 1)]);
          return true;
        }
        return false;
      },
    }),
    [shown, active, onPick, onClose],
  );

  return (
    <div className="canned-picker">
      <p className="hint">{t("canned.picker_hint")}</p>
      {replies && replies.length === 0 && <p className="hint">{t("canned.picker_none")}</p>}
      {replies && replies.length > 0 && shown.length === 0 && (
        <p className="hint">{t("canned.picker_empty")}</p>
      )}
      <ul className="list" aria-label={t("canned.picker_label")}>
        {shown.map((r, i) => (
          <li key={r.id}>
            <button
              type="button"
              className={i === active ? "canned-option active" : "canned-option"}
              aria-current={i === active ? "true" : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(r)}
            >
              <strong>{r.title}</strong>
              {r.files.length > 0 && ` 📎${r.files.length}`}
              <span className="row-sub">{Object.values(r.bodies)[0]}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
});

/** A canned reply chosen into the composer: sent as itself while its rendered text is untouched. */
export interface ChosenCanned {
  id: string;
  title: string;
  files: number;
  body: string;
}

/** The line above the composer naming the chosen reply, its files, and whether the text was edited. */
export function CannedChosen({
  chosen,
  text,
  onDiscard,
}: {
  chosen: ChosenCanned;
  text: string;
  onDiscard(): void;
}) {
  const untouched = text === chosen.body;
  return (
    <p className="hint canned-chosen">
      {t("canned.from", { title: chosen.title })}
      {chosen.files > 0 && untouched && ` · ${t("canned.files", { count: chosen.files })}`}
      {!untouched && ` · ${t("canned.edited")}`}{" "}
      <button type="button" className="link" onClick={onDiscard}>
        {t("canned.discard")}
      </button>
    </p>
  );
}
