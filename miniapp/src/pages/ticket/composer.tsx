import { useCallback, useEffect, useRef, useState } from "react";
import { sendKeys } from "../../api.js";
import { useApp } from "../../app-context.js";
import {
  CannedChosen,
  CannedPicker,
  type CannedPickerHandle,
  type ChosenCanned,
} from "../../canned-picker.js";
import { useDraft } from "../../drafts.js";
import { t } from "../../i18n.js";
import { useApi } from "../../remote/api-context.js";
import type { CannedReply } from "../../remote/canned-queries.js";
import { unwrap } from "../../remote/client.js";
import type { SendInput } from "../../remote/ticket-queries.js";
import { errorText } from "../../states.js";
import { haptic, setMainButton } from "../../telegram.js";
import { setMainButtonBusy, useComposing } from "../../telegram-native.js";

export type ComposerMode = "reply" | "note";

/**
 * The composer pinned under the conversation. Reply or Note is an explicit switch (two
 * buttons, the note mode coloured and labelled as staff-only), never a checkbox one
 * forgets; the mode is read at the moment of sending and the whole send is one or the
 * other. "Send and resolve" sends a reply and resolves in one tap.
 */
export function Composer({
  ticketId,
  worker,
  canResolve,
  sending,
  onSend,
  onTyping,
}: {
  ticketId: string;
  /** Staff who answer tickets: the Note mode, canned replies and "send and resolve". */
  worker: boolean;
  canResolve: boolean;
  sending: boolean;
  onSend(input: SendInput): Promise<void>;
  /** Called as the text changes (a live chat shows the other side "typing…"). */
  onTyping?: () => void;
}) {
  const { client } = useApi();
  const { me } = useApp();
  // The words survive closing the app (per person and ticket) until they are sent.
  const { draft, setDraft, filled, clear } = useDraft(me.id, `ticket:${ticketId}`, { text: "" });
  const text = draft.text;
  const setText = useCallback((value: string) => setDraft({ text: value }), [setDraft]);
  useComposing(filled);
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [canned, setCanned] = useState<ChosenCanned | null>(null);
  const [pickerOff, setPickerOff] = useState(false);
  const picker = useRef<CannedPickerHandle>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // One idempotency key per send: a double tap, or a retry after a lost answer, posts once.
  const keys = useRef(sendKeys());
  // A second tap arrives before React has drawn the first as "sending": this flag is set
  // at once, so that tap is ignored here rather than racing the first to the server.
  const inFlight = useRef(false);
  const note = worker && mode === "note";
  const pickerOpen = worker && !canned && !pickerOff && text.startsWith("/");

  const pick = useCallback(
    async (reply: CannedReply) => {
      try {
        const preview = await unwrap(
          client["canned-replies"][":id"].preview.$get({ param: { id: reply.id }, query: { ticketId } }),
        );
        setText(preview.body);
        setCanned({ id: reply.id, title: reply.title, files: reply.files.length, body: preview.body });
      } catch (e) {
        setError(errorText(e));
      }
    },
    [client, ticketId, setText],
  );

  const send = useCallback(
    async (thenStatus?: string) => {
      if (inFlight.current || (!text.trim() && !files.length)) return;
      const asCanned = canned && text === canned.body && !files.length ? canned.id : undefined;
      const what = JSON.stringify([
        asCanned ?? text,
        note,
        thenStatus,
        ...files.map((f) => `${f.name}:${f.size}`),
      ]);
      inFlight.current = true;
      setError(null);
      try {
        await onSend({
          text,
          internal: note,
          files,
          cannedId: asCanned,
          thenStatus: note ? undefined : thenStatus,
          idempotencyKey: keys.current.keyFor(what),
        });
        keys.current.sent();
        haptic("success");
        clear();
        setFiles([]);
        setCanned(null);
      } catch (e) {
        haptic("error");
        setError(errorText(e));
      } finally {
        inFlight.current = false;
      }
    },
    [canned, files, note, onSend, text, clear],
  );

  const sendLabel = note ? t("chat.add_note") : t("ticket.send");
  useEffect(() => setMainButton(text.trim() ? sendLabel : null, () => void send()), [text, send, sendLabel]);
  // The MainButton spins while the message is on its way.
  useEffect(() => setMainButtonBusy(sending), [sending]);

  return (
    <div className={note ? "composer composer-note" : "composer"}>
      {worker && (
        <div className="mode-switch" role="radiogroup" aria-label={t("chat.send_as")}>
          {(["reply", "note"] as const).map((m) => (
            // biome-ignore lint/a11y/useSemanticElements: a segmented switch, drawn as two buttons
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? `mode mode-${m} on` : `mode mode-${m}`}
              onClick={() => setMode(m)}
            >
              {m === "reply" ? t("chat.mode_reply") : t("chat.mode_note")}
            </button>
          ))}
        </div>
      )}
      {note && <p className="note-warning">{t("chat.note_warning")}</p>}
      {pickerOpen && (
        <CannedPicker
          ref={picker}
          ticketId={ticketId}
          query={text.slice(1)}
          onPick={pick}
          onClose={() => setPickerOff(true)}
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
      {files.length > 0 && (
        <ul className="chosen-files">
          {files.map((f, i) => (
            <li key={`${f.name}:${f.size}:${f.lastModified}`} className="file-chip">
              📎 <bdi>{f.name}</bdi>{" "}
              <button
                type="button"
                className="link"
                aria-label={t("chat.remove_file", { name: f.name })}
                onClick={() => setFiles((all) => all.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="composer-row">
        <button
          type="button"
          className="icon-button"
          aria-label={t("ticket.attach")}
          onClick={() => fileInput.current?.click()}
        >
          📎
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label={t("ticket.attach")}
          onChange={(e) => {
            const chosen = Array.from(e.target.files ?? []);
            setFiles((all) => [...all, ...chosen]);
            e.target.value = "";
          }}
        />
        <textarea
          dir="auto"
          aria-label={note ? t("ticket.note") : t("ticket.reply_placeholder")}
          placeholder={
            worker
              ? note
                ? t("chat.note_placeholder")
                : t("chat.reply_placeholder")
              : t("ticket.reply_placeholder")
          }
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value && !note) onTyping?.();
            if (!e.target.value.startsWith("/")) setPickerOff(false);
            if (!e.target.value) setCanned(null);
          }}
          onKeyDown={(e) => {
            if (pickerOpen && picker.current?.key(e)) e.preventDefault();
          }}
          rows={2}
        />
        <button type="button" className="send-button" disabled={sending} onClick={() => void send()}>
          {sendLabel}
        </button>
      </div>
      {worker && !note && canResolve && (
        <button
          type="button"
          className="secondary send-resolve"
          disabled={sending}
          onClick={() => void send("resolved")}
        >
          {t("chat.send_resolve")}
        </button>
      )}
    </div>
  );
}
