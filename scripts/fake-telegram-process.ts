/**
 * The fake Bot API in a process of its own, for benchmarks: Telegram is never in
 * the bot's process, so its CPU and memory must not count against the bot.
 * Started with child_process.fork; sends { url } once listening and answers
 * "count" with { count } (the number of Bot API calls it has seen). { answers } hands it
 * the bodies of the bot's webhook answers, to make their calls as Telegram does.
 */
import { createFakeTelegram } from "../tests/helpers/fake-telegram/server.js";

const fake = await createFakeTelegram();
process.send?.({ url: fake.url });
// Keep memory flat over long runs: only the count matters to a benchmark.
let forgotten = 0;
setInterval(() => {
  forgotten += fake.calls.length;
  fake.calls.splice(0);
}, 1000).unref();
process.on("message", (message: unknown) => {
  if (message === "count") process.send?.({ count: forgotten + fake.calls.length });
  // Calls the bot made in its answers to webhook requests, which Telegram makes itself.
  const answers = (message as { answers?: string[] }).answers;
  if (answers) for (const body of answers) void fake.webhookAnswer("application/json", body);
});
process.on("disconnect", () => {
  void fake.close().then(() => process.exit(0));
});
