import { useCallback, useEffect, useRef, useState } from "react";
import { sendKeys } from "../api.js";
import { canWork, useApp } from "../app-context.js";
import { useDraft } from "../drafts.js";
import { FieldError, useFormRefusal } from "../field-errors.js";
import { localName, personLabel } from "../format.js";
import { newTicketForm, TITLE_MIN } from "../forms/schemas.js";
import { t } from "../i18n.js";
import {
  type FilingCandidate as Candidate,
  type NewTicketBody,
  useCreateTicket,
  useFilingCandidates,
} from "../remote/new-ticket-queries.js";
import { errorText } from "../states.js";
import { haptic, setMainButton } from "../telegram.js";
import { setMainButtonBusy, useComposing } from "../telegram-native.js";
import { TermOptions } from "../term-options.js";

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
  const {
    draft,
    setDraft,
    filled,
    clear: clearDraft,
  } = useDraft(me.id, "new-ticket", { title: "", description: "" });
  const { title, description } = draft;
  const setTitle = (value: string) => setDraft((d) => ({ ...d, title: value }));
  const setDescription = (value: string) => setDraft((d) => ({ ...d, description: value }));
  useComposing(filled);
  const [priority, setPriority] = useState("normal");
  const [files, setFiles] = useState<File[]>([]);
  const [forWhom, setForWhom] = useState<Candidate | null>(null);
  const [q, setQ] = useState("");
  const candidates = useFilingCandidates(q, staff);
  const found = q.trim().length >= 2 ? (candidates.data ?? []) : [];
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const create = useCreateTicket();
  const busy = create.isPending;
  // Set in the tap itself: a double tap's second click can come before the re-render.
  const inFlight = useRef(false);
  const key = useRef(`miniapp-${crypto.randomUUID()}`);
  const sends = useRef(sendKeys());

  const valid = title.trim().length >= TITLE_MIN && categoryId !== "";
  const submit = useCallback(async () => {
    // A second tap while the first is on its way is the same send: ignored here, and the
    // idempotency key makes the server write once even if it got through.
    if (inFlight.current) return;
    clear();
    if (!check(newTicketForm, { title, description, categoryId })) return;
    inFlight.current = true;
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
      } as NewTicketBody;
      // The same files again are the same send: named by name, size and date, not by their bytes.
      const fileKey = files.map((f) => `${f.name}:${f.size}:${f.lastModified}`);
      const idempotencyKey = sends.current.keyFor(JSON.stringify({ body, fileKey }));
      const ticket = await create.mutateAsync({ body, files, idempotencyKey });
      haptic("success");
      clearDraft();
      replace({ name: "ticket", id: ticket.id });
    } catch (e) {
      refuse(e);
    } finally {
      inFlight.current = false;
    }
  }, [
    clear,
    check,
    refuse,
    create,
    forWhom,
    me.branchId,
    title,
    description,
    categoryId,
    priority,
    files,
    replace,
    clearDraft,
  ]);

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
            {forWhom ? <bdi>{personLabel(forWhom)}</bdi> : t("new.myself")}
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
          {candidates.isError && (
            <p className="error" role="alert">
              {errorText(candidates.error)}
            </p>
          )}
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
                  <bdi>{personLabel(p)}</bdi>
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
        <FieldError errors={errors} path="categoryId" />
      </label>
      <label>
        {t("new.title")}
        <input
          name="title"
          dir="auto"
          aria-label={t("new.title")}
          aria-invalid={errors.title ? true : undefined}
          value={title}
          maxLength={120}
          onChange={(e) => setTitle(e.target.value)}
        />
        <FieldError errors={errors} path="title" />
      </label>
      {!errors.title && title.length > 0 && title.trim().length < TITLE_MIN && (
        <p className="hint">{t("new.title_short")}</p>
      )}
      <label>
        {t("new.description")}
        <textarea
          name="description"
          dir="auto"
          aria-label={t("new.description")}
          aria-invalid={errors.description ? true : undefined}
          value={description}
          maxLength={4000}
          rows={4}
          onChange={(e) => setDescription(e.target.value)}
        />
        <FieldError errors={errors} path="description" />
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
      <button type="button" disabled={busy} onClick={() => void submit()}>
        {t("new.create")}
      </button>
    </div>
  );
}
