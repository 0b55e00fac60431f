import { useCallback, useEffect, useRef, useState } from "react";
import { api, messageOf, type PersonDto, sendKeys, type TicketDto } from "../api.js";
import { canWork, useApp } from "../app-context.js";
import { localName, personLabel } from "../format.js";
import { t } from "../i18n.js";
import { haptic, setMainButton } from "../telegram.js";
import { setMainButtonBusy, useComposing, useDraft } from "../telegram-native.js";
import { TermOptions } from "../term-options.js";

type Candidate = PersonDto & { branchId: string | null };
const TITLE_MIN = 3;

/**
 * Opening a ticket from the Mini App: for oneself, or (staff) for a requester who
 * called or walked in, picked from the people the server says they may file for.
 * One idempotency key per form (in the body) and one per send (the Idempotency-Key
 * header, new once the form changes), so a double tap or a retry after a lost
 * answer opens one ticket, not two.
 */
export function NewTicket() {
  const { me, meta, lang, replace } = useApp();
  const staff = canWork(me);
  const categories = meta.categories.filter((c) => c.isActive);
  const [categoryId, setCategoryId] = useState(categories[0]?.id ?? "");
  // Title and description survive closing the app until the ticket is opened.
  const { draft, setDraft, filled, clear } = useDraft(me.id, "new-ticket", { title: "", description: "" });
  const { title, description } = draft;
  const setTitle = (value: string) => setDraft((d) => ({ ...d, title: value }));
  const setDescription = (value: string) => setDraft((d) => ({ ...d, description: value }));
  useComposing(filled);
  const [priority, setPriority] = useState("normal");
  const [files, setFiles] = useState<File[]>([]);
  const [forWhom, setForWhom] = useState<Candidate | null>(null);
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Candidate[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(`miniapp-${crypto.randomUUID()}`);
  const sends = useRef(sendKeys());

  useEffect(() => {
    if (!staff || q.trim().length < 2) return setFound([]);
    let stale = false;
    const timer = setTimeout(() => {
      api<Candidate[]>("GET", `/api/tickets/requesters?q=${encodeURIComponent(q.trim())}&limit=10`)
        .then((people) => {
          if (stale) return;
          setFound(people);
          setError(null);
        })
        .catch((e) => !stale && setError(messageOf(e)));
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q, staff]);

  const valid = title.trim().length >= TITLE_MIN && categoryId !== "";
  const ready = valid && !busy;
  const submit = useCallback(async () => {
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const onBehalf = forWhom
        ? // A customer with no branch is filed in the branch of the staff member who took the call.
          {
            requesterId: forWhom.id,
            ...(forWhom.branchId === null && me.branchId ? { branchId: me.branchId } : {}),
          }
        : {};
      const body = {
        title: title.trim(),
        description: description.trim(),
        categoryId,
        priority,
        idempotencyKey: key.current,
        ...onBehalf,
      };
      // The same files again are the same send: named by name, size and date, not by their bytes.
      const fileKey = files.map((f) => `${f.name}:${f.size}:${f.lastModified}`);
      const idempotencyKey = sends.current.keyFor(JSON.stringify({ body, fileKey }));
      const ticket = await api<TicketDto>("POST", "/api/tickets", files.length ? asForm(body, files) : body, {
        idempotencyKey,
      });
      haptic("success");
      clear();
      replace({ name: "ticket", id: ticket.id });
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }, [ready, forWhom, me.branchId, title, description, categoryId, priority, files, replace, clear]);

  useEffect(() => setMainButton(valid ? t("new.create") : null, () => void submit()), [valid, submit]);
  // The MainButton spins while the ticket is being opened (and ignores taps meanwhile).
  useEffect(() => setMainButtonBusy(busy), [busy]);

  return (
    <div className="page form new-ticket">
      <h2>{t("new.heading")}</h2>
      {staff && (
        <fieldset className="for-whom">
          <legend>{t("new.for_whom")}</legend>
          <p className="row-sub" data-for-whom>
            {forWhom ? personLabel(forWhom) : t("new.myself")}
            {forWhom && (
              <button type="button" className="secondary" onClick={() => setForWhom(null)}>
                {t("new.myself")}
              </button>
            )}
          </p>
          <input
            type="search"
            aria-label={t("new.find_person")}
            placeholder={t("new.find_person")}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <ul className="list">
            {found.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="row"
                  onClick={() => {
                    setForWhom(p);
                    setQ("");
                  }}
                >
                  {personLabel(p)}
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <label>
        {t("ticket.category")}
        <select
          aria-label={t("ticket.category")}
          value={categoryId}
          onChange={(e) => setCategoryId(e.target.value)}
        >
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.emoji} {localName(c.name, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("new.title")}
        <input
          aria-label={t("new.title")}
          value={title}
          maxLength={120}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      {title.length > 0 && title.trim().length < TITLE_MIN && <p className="hint">{t("new.title_short")}</p>}
      <label>
        {t("new.description")}
        <textarea
          aria-label={t("new.description")}
          value={description}
          maxLength={4000}
          rows={4}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <label>
        {t("ticket.priority")}
        <select
          aria-label={t("ticket.priority")}
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
        >
          <TermOptions term="priority" values={meta.priorities} />
        </select>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <label>
        {t("ticket.attach")}
        <input
          type="file"
          multiple
          aria-label={t("ticket.attach")}
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
      </label>
      {files.length > 0 && <p className="hint">{t("new.files_chosen", { count: files.length })}</p>}
      <button type="button" disabled={!ready} onClick={() => void submit()}>
        {t("new.create")}
      </button>
    </div>
  );
}

/** The new ticket's fields and its files as one multipart body (the server reads the same fields). */
function asForm(body: Record<string, string>, files: File[]): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) form.append(name, value);
  for (const file of files) form.append("files", file);
  return form;
}
