/**
 * The fake Bot API in a process of its own for `npm run deploy:check`, on the
 * port given as its first argument: both product instances call it as they would
 * call Telegram. Protocol (child_process.fork): sends { url } once listening;
 * "calls" → { calls } (every call answered so far: method, chat, text, webhook
 * url and secret); { answers } → makes the calls the bot put in its webhook
 * answers, as Telegram does with them.
 */
import { createFakeTelegram } from "../../server/sandbox/bot-api/server.js";

export interface SeenCall {
  method: string;
  chatId: number | null;
  text: string;
  url?: string;
  secretToken?: string;
}

const calls: SeenCall[] = [];
const fake = await createFakeTelegram({
  port: Number(process.argv[2] ?? 0),
  onCall: (call) => {
    const p = call.params as Record<string, unknown>;
    calls.push({
      method: call.method,
      chatId: p.chat_id === undefined ? null : Number(p.chat_id),
      text: String(p.text ?? p.caption ?? ""),
      ...(call.method === "setWebhook" ? { url: String(p.url), secretToken: String(p.secret_token) } : {}),
    });
  },
});
// onCall keeps what the check needs; the recorded calls would only grow.
setInterval(() => fake.calls.splice(0), 1000).unref();
process.send?.({ url: fake.url });

process.on("message", (message: unknown) => {
  if (message === "calls") process.send?.({ calls });
  const answers = (message as { answers?: string[] }).answers;
  if (answers) for (const body of answers) void fake.webhookAnswer("application/json", body);
});
process.on("disconnect", () => {
  void fake.close().then(() => process.exit(0));
});
