/**
 * The fake Bot API in a process of its own for `npm run chaos` and `npm run load`:
 * it must outlive the product, which the chaos run kills with SIGKILL, so that
 * what was posted before a kill is still counted after it. Unlike
 * fake-telegram-process.ts it keeps every message posted (private chats too) with
 * the ids it handed out, the text and what it replied to: the chaos account
 * matches them against the product's send ledger.
 *
 * Protocol (child_process.fork): sends { url } once listening; "sends" → { sends }
 * (every message-posting call answered so far); { answers } → makes the calls the
 * bot put in its webhook answers, as Telegram does.
 */
import { createFakeTelegram, type RecordedCall } from "../server/sandbox/bot-api/server.js";

/** One message-posting call the fake answered successfully. */
export interface FakeSend {
  method: string;
  chatId: number;
  /** The message ids it answered with (several for an album). */
  ids: number[];
  text: string;
  /** The message this one replied to, if any. */
  replyTo: number | null;
  at: number;
}

// Posting calls only: edits, chat actions and answers to buttons post nothing new.
const POSTING = /^(send(?!ChatAction)|copyMessage|forwardMessage)/;

function sendOf(call: RecordedCall): FakeSend | null {
  if (!POSTING.test(call.method)) return null;
  const results = Array.isArray(call.result) ? call.result : [call.result];
  const ids = results
    .map((m) => (m as { message_id?: unknown })?.message_id)
    .filter((id): id is number => typeof id === "number");
  const p = call.params as Record<string, unknown>;
  const reply = p.reply_parameters as { message_id?: unknown } | string | undefined;
  const parsed = typeof reply === "string" ? (JSON.parse(reply) as { message_id?: unknown }) : reply;
  const replyTo = Number(parsed?.message_id ?? p.reply_to_message_id ?? Number.NaN);
  const media = typeof p.media === "string" ? p.media : JSON.stringify(p.media ?? "");
  return {
    method: call.method,
    chatId: Number(p.chat_id),
    ids,
    text: String(p.text ?? p.caption ?? (call.method === "sendMediaGroup" ? media : "")),
    replyTo: Number.isFinite(replyTo) ? replyTo : null,
    at: call.at,
  };
}

const sends: FakeSend[] = [];
const fake = await createFakeTelegram({
  // As Telegram: an edit of a message id it never handed out is "message to edit not
  // found". Without this the ledger's probe (an edit) hears "modified" for a message
  // that does not exist and gives up in doubt, failing rows Telegram would let through.
  strictMessages: true,
  onCall: (call) => {
    const send = sendOf(call);
    if (send) sends.push(send);
  },
});
// The calls themselves are not needed (onCall kept the sends): keep memory flat.
setInterval(() => fake.calls.splice(0), 1000).unref();
process.send?.({ url: fake.url });

process.on("message", (message: unknown) => {
  if (message === "sends") process.send?.({ sends });
  const answers = (message as { answers?: string[] }).answers;
  if (answers) for (const body of answers) void fake.webhookAnswer("application/json", body);
});
process.on("disconnect", () => {
  void fake.close().then(() => process.exit(0));
});
