import { useCallback, useEffect, useRef, useState } from "react";
import {
  ApiError,
  api,
  apiWithEtag,
  type CannedReplyDto,
  type ChoicesDto,
  type EventDto,
  type MessageDto,
  sendKeys,
  type TicketDto,
} from "../api.js";
import { canWork, useApp } from "../app-context.js";
import { CannedChosen, CannedPicker, type CannedPickerHandle, type ChosenCanned } from "../canned-picker.js";
import { FileButtons } from "../file-buttons.js";
import { formatDate, localName, personLabel } from "../format.js";
import { t } from "../i18n.js";
import { ModerationControl } from "../moderation-control.js";
import { SlaBadge } from "../sla-badge.js";
import { haptic, setMainButton } from "../telegram.js";
import { TicketControls } from "./ticket-controls.js";
import { TicketHistory } from "./ticket-history.js";
import { TicketRating } from "./ticket-rating.js";

/** One ticket: facts and controls, the thread (notes marked), a reply box, history. */
export function TicketView({ id }: { id: string }) {
  const { me, meta, lang, version } = useApp();
  const [ticket, setTicket] = useState<TicketDto | null>(null);
  const [thread, setThread] = useState<MessageDto[]>([]);
  const [history, setHistory] = useState<EventDto[]>([]);
  const [choices, setChoices] = useState<ChoicesDto | null>(null);
  const [text, setText] = useState("");
  const [internal, setInternal] = useState(false);
  const [files, setFiles] = useState<FileList | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The version of the ticket on screen: changes carry it (If-Match) so a stale screen loses cleanly.
  const [etag, setEtag] = useState<string | null>(null);
  const keys = useRef(sendKeys());
  const worker = canWork(me);
  // A canned reply chosen with "/": sent as itself (server-rendered, with its files) while its text is untouched.
  const [canned, setCanned] = useState<ChosenCanned | null>(null);
  const [pickerOff, setPickerOff] = useState(false);
  const picker = useRef<CannedPickerHandle>(null);
  const pickerOpen = worker && !canned && !pickerOff && text.startsWith("/");

  const load = useCallback(async () => {
    const [tk, msgs, events, picks] = await Promise.all([
      apiWithEtag<TicketDto>("GET", `/api/tickets/${id}`),
      api<MessageDto[]>("GET", `/api/tickets/${id}/messages`),
      api<EventDto[]>("GET", `/api/tickets/${id}/history`),
      // What this person may pick follows the ticket's status and assignee: fetched with it.
      // Pickers without choices are better than no screen: a refusal here leaves them empty.
      worker ? api<ChoicesDto>("GET", `/api/tickets/${id}/choices`).catch(() => null) : Promise.resolve(null),
    ]);
    setTicket(tk.data);
    setEtag(tk.etag);
    setThread(msgs);
    setHistory(events);
    setChoices(picks);
  }, [id, worker]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the live-update trigger
  useEffect(() => {
    void load().catch((e) => setError(e instanceof ApiError ? e.message : t("error.generic")));
  }, [load, version]);

  // One change at a time: the controls build their change from the ticket as drawn (a
  // label list, say), so a second tap before the first is back would undo the first.
  const [busy, setBusy] = useState(false);
  const act = useCallback(
    async (run: () => Promise<unknown>) => {
      setError(null);
      setBusy(true);
      try {
        await run();
        haptic("success");
        await load();
      } catch (e) {
        haptic("error");
        // Someone changed the ticket since it was drawn: show theirs, and say so (the server's words).
        if (e instanceof ApiError && e.status === 412) await load().catch(() => {});
        setError(e instanceof ApiError ? e.message : t("error.generic"));
      } finally {
        setBusy(false);
      }
    },
    [load],
  );
  const change = useCallback(
    (path: string, body: unknown) => act(() => api("PATCH", path, body, { ifMatch: etag })),
    [act, etag],
  );

  const pick = useCallback(
    async (reply: CannedReplyDto) => {
      try {
        const preview = await api<{ body: string }>(
          "GET",
          `/api/canned-replies/${reply.id}/preview?ticketId=${id}`,
        );
        setText(preview.body);
        setCanned({ id: reply.id, title: reply.title, files: reply.files.length, body: preview.body });
      } catch (e) {
        setError(e instanceof ApiError ? e.message : t("error.generic"));
      }
    },
    [id],
  );
  const closePicker = useCallback(() => setPickerOff(true), []);

  const send = useCallback(() => {
    if (!text.trim() && !files?.length) return;
    if (canned && text === canned.body && !files?.length) {
      const idempotencyKey = keys.current.keyFor(JSON.stringify(["canned", canned.id, internal]));
      void act(async () => {
        await api(
          "POST",
          `/api/tickets/${id}/canned`,
          { cannedReplyId: canned.id, internal },
          { idempotencyKey },
        );
        keys.current.sent();
        setText("");
        setCanned(null);
      });
      return;
    }
    // One key per send: a double tap or a retry of this same send posts once.
    const what = [
      text,
      internal,
      ...Array.from(files ?? []).map((f) => `${f.name}:${f.size}:${f.lastModified}`),
    ];
    const idempotencyKey = keys.current.keyFor(JSON.stringify(what));
    void act(async () => {
      if (files?.length) {
        const form = new FormData();
        form.set("body", text);
        form.set("internal", String(internal));
        for (const f of Array.from(files)) form.append("files", f);
        await api("POST", `/api/tickets/${id}/messages`, form, { idempotencyKey });
      } else {
        await api("POST", `/api/tickets/${id}/messages`, { body: text, internal }, { idempotencyKey });
      }
      keys.current.sent();
      setText("");
      setFiles(null);
      setCanned(null);
    });
  }, [act, canned, files, id, internal, text]);

  useEffect(() => setMainButton(text.trim() ? t("ticket.send") : null, send), [text, send]);

  if (!ticket)
    return (
      <div className="page">
        {error ? <p className="error">{error}</p> : <p className="hint">{t("loading")}</p>}
      </div>
    );
  const category = meta.categories.find((c) => c.id === ticket.categoryId);
  return (
    <div className="page">
      <h1 className="ticket-title">{ticket.title}</h1>
      <p className="row-sub">
        {ticket.number} · {t("ticket.created")} {formatDate(ticket.createdAt, lang)} ·{" "}
        {category ? `${category.emoji} ${localName(category.name, lang)}` : ""}
      </p>
      {ticket.sla && ticket.sla.state !== "none" && (
        <p className="ticket-sla">
          <SlaBadge sla={ticket.sla} lang={lang} />
        </p>
      )}
      {ticket.requester && (
        <p className="row-sub">
          {t("ticket.requester")}: {personLabel(ticket.requester)}
        </p>
      )}
      {ticket.requester && worker && <ModerationControl userId={ticket.requesterId} />}
      {ticket.requester?.botBlocked && (
        <p className="error" role="status">
          {t("ticket.requester_blocked")}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <TicketControls ticket={ticket} choices={choices} change={change} busy={busy} />
      <TicketRating ticket={ticket} mine={ticket.requesterId === me.id} onRated={setTicket} />
      {ticket.description && <p className="description">{ticket.description}</p>}
      {/* Files sent with the ticket itself (the bot's /new), not with a message. */}
      {(ticket.attachments?.length ?? 0) > 0 && (
        <div className="ticket-files">
          <FileButtons files={ticket.attachments ?? []} onError={setError} />
        </div>
      )}
      <h2>{t("ticket.thread")}</h2>
      {thread.length === 0 && <p className="hint">{t("ticket.empty_thread")}</p>}
      <ul className="thread">
        {thread.map((m) => (
          <li
            key={m.id}
            className={
              m.isInternal
                ? "msg internal"
                : m.authorId === ticket.requesterId
                  ? "msg requester"
                  : "msg staff"
            }
          >
            {m.isInternal && <span className="badge">{t("ticket.internal_badge")}</span>}
            {m.authorName && <span className="author">{m.authorName}</span>}
            <p>{m.body}</p>
            <FileButtons files={m.attachments} onError={setError} />
            <time>{formatDate(m.createdAt, lang)}</time>
          </li>
        ))}
      </ul>
      {(worker || ticket.requesterId === me.id) && (
        <div className="composer">
          {pickerOpen && (
            <CannedPicker
              ref={picker}
              ticketId={id}
              query={text.slice(1)}
              onPick={pick}
              onClose={closePicker}
            />
          )}
          {canned && (
            <CannedChosen
              chosen={canned}
              text={text}
              onDiscard={() => {
                setCanned(null);
                setText("");
              }}
            />
          )}
          <textarea
            aria-label={internal ? t("ticket.note") : t("ticket.reply_placeholder")}
            placeholder={internal ? t("ticket.note_placeholder") : t("ticket.reply_placeholder")}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (!e.target.value.startsWith("/")) setPickerOff(false);
              if (!e.target.value) setCanned(null);
            }}
            onKeyDown={(e) => {
              if (pickerOpen && picker.current?.key(e)) e.preventDefault();
            }}
            rows={3}
          />
          <div className="composer-row">
            {worker && (
              <label className="check">
                <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />{" "}
                {t("ticket.note")}
              </label>
            )}
            <input
              type="file"
              multiple
              aria-label={t("ticket.attach")}
              onChange={(e) => setFiles(e.target.files)}
            />
            <button type="button" onClick={send}>
              {t("ticket.send")}
            </button>
          </div>
        </div>
      )}
      <h2>{t("ticket.history")}</h2>
      <TicketHistory events={history} meta={meta} lang={lang} />
    </div>
  );
}
