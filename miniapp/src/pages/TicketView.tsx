import { useCallback, useEffect, useState } from "react";
import { ApiError, api, type EventDto, type MessageDto, type TicketDto, type UserDto } from "../api.js";
import { canWork, useApp } from "../app-context.js";
import { FileButtons } from "../file-buttons.js";
import { formatDate } from "../format.js";
import { t } from "../i18n.js";
import { haptic, setMainButton } from "../telegram.js";

const assignable = ["agent", "moderator", "admin", "owner"];

/** One ticket: facts and controls, the thread (notes marked), a reply box, history. */
export function TicketView({ id }: { id: string }) {
  const { me, meta, lang, version } = useApp();
  const [ticket, setTicket] = useState<TicketDto | null>(null);
  const [thread, setThread] = useState<MessageDto[]>([]);
  const [history, setHistory] = useState<EventDto[]>([]);
  const [staff, setStaff] = useState<UserDto[]>([]);
  const [text, setText] = useState("");
  const [internal, setInternal] = useState(false);
  const [files, setFiles] = useState<FileList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const worker = canWork(me);
  const manager = ["moderator", "admin", "owner"].includes(me.role);

  const load = useCallback(async () => {
    const [tk, msgs, events] = await Promise.all([
      api<TicketDto>("GET", `/api/tickets/${id}`),
      api<MessageDto[]>("GET", `/api/tickets/${id}/messages`),
      api<EventDto[]>("GET", `/api/tickets/${id}/history`),
    ]);
    setTicket(tk);
    setThread(msgs);
    setHistory(events);
  }, [id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the live-update trigger
  useEffect(() => {
    void load().catch((e) => setError(e instanceof ApiError ? e.message : t("error.generic")));
  }, [load, version]);
  useEffect(() => {
    if (manager)
      void api<UserDto[]>("GET", `/api/users?active=true&limit=200&role=${assignable.join(",")}`).then(
        setStaff,
      );
  }, [manager]);

  const act = useCallback(
    async (run: () => Promise<unknown>) => {
      setError(null);
      try {
        await run();
        haptic("success");
        await load();
      } catch (e) {
        haptic("error");
        setError(e instanceof ApiError ? e.message : t("error.generic"));
      }
    },
    [load],
  );

  const send = useCallback(() => {
    if (!text.trim() && !files?.length) return;
    void act(async () => {
      if (files?.length) {
        const form = new FormData();
        form.set("body", text);
        form.set("internal", String(internal));
        for (const f of Array.from(files)) form.append("files", f);
        await api("POST", `/api/tickets/${id}/messages`, form);
      } else {
        await api("POST", `/api/tickets/${id}/messages`, { body: text, internal });
      }
      setText("");
      setFiles(null);
    });
  }, [act, files, id, internal, text]);

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
        {category ? `${category.emoji} ${category.name[lang as "fa"] ?? category.name.fa}` : ""}
      </p>
      {ticket.requester && (
        <p className="row-sub">
          {t("ticket.requester")}:{" "}
          {[ticket.requester.firstName, ticket.requester.lastName].filter(Boolean).join(" ")}
          {ticket.requester.username ? ` (@${ticket.requester.username})` : ""}
        </p>
      )}
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
      <div className="controls">
        <label>
          {t("ticket.status")}
          <select
            aria-label={t("ticket.status")}
            value={ticket.status}
            disabled={!worker && ticket.requesterId !== me.id}
            onChange={(e) => act(() => api("PATCH", `/api/tickets/${id}/status`, { status: e.target.value }))}
          >
            {meta.statuses.map((s) => (
              <option key={s} value={s}>
                {t(`common:status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("ticket.priority")}
          <select
            aria-label={t("ticket.priority")}
            value={ticket.priority}
            disabled={!worker}
            onChange={(e) => act(() => api("PATCH", `/api/tickets/${id}`, { priority: e.target.value }))}
          >
            {meta.priorities.map((p) => (
              <option key={p} value={p}>
                {t(`common:priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        {manager ? (
          <label>
            {t("ticket.assignee")}
            <select
              aria-label={t("ticket.assignee")}
              value={ticket.assigneeId ?? ""}
              onChange={(e) =>
                act(() => api("PATCH", `/api/tickets/${id}/assignee`, { assigneeId: e.target.value || null }))
              }
            >
              <option value="">{t("ticket.nobody")}</option>
              {staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.firstName}
                  {u.username ? ` (@${u.username})` : ""}
                </option>
              ))}
            </select>
          </label>
        ) : (
          worker && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                act(() =>
                  api("PATCH", `/api/tickets/${id}/assignee`, {
                    assigneeId: ticket.assigneeId === me.id ? null : me.id,
                  }),
                )
              }
            >
              {ticket.assigneeId === me.id ? t("ticket.release") : t("ticket.take")}
            </button>
          )
        )}
      </div>
      {worker && (
        <div className="controls">
          <label>
            {t("ticket.category")}
            <select
              aria-label={t("ticket.category")}
              value={ticket.categoryId}
              onChange={(e) => act(() => api("PATCH", `/api/tickets/${id}`, { categoryId: e.target.value }))}
            >
              {meta.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.emoji} {c.name[lang as "fa"] ?? c.name.fa}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="labels" aria-label={t("ticket.labels")}>
            <legend>{t("ticket.labels")}</legend>
            {meta.labels.map((l) => {
              const on = ticket.labelIds?.includes(l.id) ?? false;
              const next = on
                ? (ticket.labelIds ?? []).filter((x) => x !== l.id)
                : [...(ticket.labelIds ?? []), l.id];
              return (
                <button
                  key={l.id}
                  type="button"
                  className={on ? "chip on" : "chip"}
                  style={{ borderColor: l.color }}
                  aria-pressed={on}
                  onClick={() => act(() => api("PATCH", `/api/tickets/${id}`, { labelIds: next }))}
                >
                  {l.name}
                </button>
              );
            })}
          </fieldset>
        </div>
      )}
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
          <textarea
            aria-label={internal ? t("ticket.note") : t("ticket.reply_placeholder")}
            placeholder={internal ? t("ticket.note_placeholder") : t("ticket.reply_placeholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
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
      <ol className="history">
        {history.map((e) => (
          <li key={e.id}>
            <time>{formatDate(e.createdAt, lang)}</time> {e.actorName ? <b>{e.actorName} </b> : null}
            {t(`event.${e.kind}`)}
            {e.kind === "status" || e.kind === "reopen"
              ? `: ${t(`common:status.${e.fromValue}`)} → ${t(`common:status.${e.toValue}`)}`
              : ""}
          </li>
        ))}
      </ol>
    </div>
  );
}
