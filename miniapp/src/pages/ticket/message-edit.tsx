import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { t } from "../../i18n.js";
import { useApi } from "../../remote/api-context.js";
import { type ThreadMessage, unwrap } from "../../remote/client.js";
import { invalidateFor } from "../../remote/live.js";
import { errorText } from "../../states.js";
import { haptic } from "../../telegram.js";

/** The server's window for editing one's own message (MESSAGE_EDIT_WINDOW_MS). */
const EDIT_WINDOW_MS = 48 * 3_600_000;
const editedText = z.string().trim().min(1).max(4000);

/** Whether `me` may offer an edit of this message: their own, sent, with text, within 48 hours. */
export function canEdit(m: ThreadMessage, meId: string, now = Date.now()): boolean {
  const pending = (m as { pending?: boolean }).pending === true;
  return (
    !pending &&
    m.authorId === meId &&
    Boolean(m.body) &&
    now - new Date(m.createdAt).getTime() < EDIT_WINDOW_MS
  );
}

/** Sends an edit; the thread and history refetch so the "edited" mark and the event show. */
function useEditMessage(ticketId: string) {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, body }: { messageId: string; body: string }) =>
      unwrap(
        client.tickets[":id"].messages[":messageId"].$patch({
          param: { id: ticketId, messageId },
          json: { body },
        }),
      ),
    onSettled: () => invalidateFor(queries, ticketId),
  });
}

/** The message's text in place as a box with Save and Cancel (the author's own message only). */
export function MessageEditor({
  ticketId,
  message,
  onDone,
}: {
  ticketId: string;
  message: ThreadMessage;
  onDone(): void;
}) {
  const [text, setText] = useState(message.body ?? "");
  const [error, setError] = useState<string | null>(null);
  const edit = useEditMessage(ticketId);
  const save = async () => {
    const parsed = editedText.safeParse(text);
    if (!parsed.success) {
      setError(t("field_error.too_small"));
      return;
    }
    if (parsed.data === message.body) return onDone();
    try {
      await edit.mutateAsync({ messageId: message.id, body: parsed.data });
      haptic("success");
      onDone();
    } catch (e) {
      haptic("error");
      setError(errorText(e));
    }
  };
  return (
    <div className="message-editor">
      <textarea
        dir="auto"
        aria-label={t("chat.edit_label")}
        value={text}
        rows={3}
        onChange={(e) => setText(e.target.value)}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="editor-actions">
        <button type="button" disabled={edit.isPending} onClick={() => void save()}>
          {t("chat.edit_save")}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t("chat.edit_cancel")}
        </button>
      </div>
    </div>
  );
}
