import { useLayoutEffect, useRef, useState } from "react";
import { FileButtons } from "../../file-buttons.js";
import { formatDate } from "../../format.js";
import { t } from "../../i18n.js";
import type { AttachmentData, ThreadMessage } from "../../remote/client.js";
import { canEdit, MessageEditor } from "./message-edit.js";

type Opening = { body: string | null; files: AttachmentData[]; author: string | null; at: string };

/** Whose bubble a message is: the requester's on one side, staff's on the other, notes apart. */
function kindOf(m: ThreadMessage, requesterId: string): "internal" | "requester" | "staff" {
  if (m.isInternal) return "internal";
  return m.authorId === requesterId ? "requester" : "staff";
}

/**
 * The conversation as a chat: the ticket's own text and files first (what the requester
 * opened it with), then every message in order. It opens scrolled to the latest message,
 * and follows new ones while the reader is at the bottom.
 */
export function Thread({
  messages,
  requesterId,
  opening,
  lang,
  onError,
  ticketId,
  meId,
}: {
  ticketId: string;
  /** The reader: their own messages offer an edit. */
  meId: string;
  messages: ThreadMessage[];
  requesterId: string;
  opening: Opening;
  lang: string;
  onError(text: string): void;
}) {
  const shownCount = useRef(0);
  const [editing, setEditing] = useState<string | null>(null);
  // Before paint, so the screen never flashes its top first.
  useLayoutEffect(() => {
    const first = shownCount.current === 0;
    const nearBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 200;
    // To the page's very end: the composer follows the thread, so the latest message
    // sits just above it (scrolling the message itself to the bottom edge would leave
    // it under the pinned composer).
    if (messages.length !== shownCount.current && (first || nearBottom))
      window.scrollTo({ top: document.documentElement.scrollHeight });
    shownCount.current = messages.length;
  }, [messages.length]);

  return (
    <ol className="thread" aria-label={t("ticket.thread")}>
      {(opening.body || opening.files.length > 0) && (
        <li className="msg requester opening">
          {opening.author && (
            <bdi className="author" dir="auto">
              {opening.author}
            </bdi>
          )}
          {opening.body && (
            <p className="description" dir="auto">
              {opening.body}
            </p>
          )}
          {opening.files.length > 0 && (
            <div className="ticket-files">
              <FileButtons files={opening.files} onError={onError} />
            </div>
          )}
          <time>{formatDate(opening.at, lang)}</time>
        </li>
      )}
      {messages.length === 0 && !opening.body && (
        <li className="hint state-empty">{t("chat.empty_thread")}</li>
      )}
      {messages.map((m) => {
        const kind = kindOf(m, requesterId);
        const pending = (m as { pending?: boolean }).pending === true;
        return (
          <li key={m.id} className={`msg ${kind}${pending ? " pending" : ""}`} data-message={m.id}>
            {kind === "internal" && <span className="badge">{t("chat.note_badge")}</span>}
            {m.authorName && (
              <bdi className="author" dir="auto">
                {m.authorName}
              </bdi>
            )}
            {editing === m.id ? (
              <MessageEditor ticketId={ticketId} message={m} onDone={() => setEditing(null)} />
            ) : (
              m.body && <p dir="auto">{m.body}</p>
            )}
            <FileButtons files={m.attachments} onError={onError} />
            <span className="msg-meta">
              <time>{formatDate(m.createdAt, lang)}</time>
              {m.editedAt && <span className="edited"> · {t("chat.edited")}</span>}
              {pending && <span className="sending"> · {t("chat.sending")}</span>}
              {editing !== m.id && canEdit(m, meId) && (
                <button type="button" className="link edit-message" onClick={() => setEditing(m.id)}>
                  {t("chat.edit_message")}
                </button>
              )}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
