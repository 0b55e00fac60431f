/**
 * The fake Bot API in a process of its own, for benchmarks: Telegram is never in
 * the bot's process, so its CPU and memory must not count against the bot.
 * Started with child_process.fork; sends { url } once listening and answers
 * "count" with { count } (the number of Bot API calls it has seen) and "report"
 * with { report } (what it posted where, and its 429s: see Report). { answers }
 * hands it the bodies of the bot's webhook answers, to make their calls as
 * Telegram does; { push } queues updates for the bot's getUpdates (long polling).
 *
 * Flags: --enforce-limits (Telegram's flood limits, 429 beyond them: limits.ts);
 * --forum-chat ID (that group is a forum: getChat says is_forum, topics work);
 * --journal FILE (every message posted or edited, one JSON line each, as it happens);
 * --private-words (keep the words of private chats too: bench:live finds relayed messages by them).
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createFakeTelegram } from "../server/sandbox/bot-api/server.js";

const { values } = parseArgs({
  options: {
    "enforce-limits": { type: "boolean", default: false },
    "forum-chat": { type: "string" },
    journal: { type: "string" },
    "private-words": { type: "boolean", default: false },
  },
});

/** One message the fake posted or edited: its words only where a group shows them (staff chats). */
export interface Posted {
  method: string;
  chatId: number;
  at: number;
  threadId?: number;
  text?: string;
}

export interface Report {
  count: number;
  posted: Posted[];
  refused: { bot: number; private: number; group: number };
  /** The chats that got 429s, and how many each. */
  refusedChats: Array<[number, number]>;
}

const fake = await createFakeTelegram({ enforceLimits: values["enforce-limits"] });
const forum = values["forum-chat"] ? Number(values["forum-chat"]) : null;
if (forum !== null) fake.setChat(forum, { id: forum, type: "supergroup", title: "Staff", is_forum: true });
if (values.journal) writeFileSync(values.journal, "");
process.send?.({ url: fake.url });

// Keep memory flat over long runs: calls are forgotten each second, but the messages
// posted (a few thousand in a burst) are kept, small, for the report.
let forgotten = 0;
const posted: Posted[] = [];
function collect() {
  const fresh: Posted[] = [];
  for (const c of fake.calls) {
    if (c.failure || !/^(send(?!ChatAction)|edit|copyMessage|forwardMessage)/.test(c.method)) continue;
    const chatId = Number(c.params.chat_id);
    const threadId = c.params.message_thread_id ? Number(c.params.message_thread_id) : undefined;
    const words = String(c.params.text ?? c.params.caption ?? "");
    fresh.push({
      method: c.method,
      chatId,
      at: c.at,
      threadId,
      ...(chatId < 0 || values["private-words"] ? { text: words } : {}),
    });
  }
  posted.push(...fresh);
  if (values.journal && fresh.length)
    appendFileSync(values.journal, `${fresh.map((p) => JSON.stringify(p)).join("\n")}\n`);
  forgotten += fake.calls.length;
  fake.calls.splice(0);
}
setInterval(collect, 1000).unref();

process.on("message", (message: unknown) => {
  if (message === "count") process.send?.({ count: forgotten + fake.calls.length });
  if (message === "report") {
    collect();
    const stats = fake.limitStats;
    const report: Report = {
      count: forgotten,
      posted,
      refused: stats ? { ...stats.refused } : { bot: 0, private: 0, group: 0 },
      refusedChats: stats ? [...stats.refusedChats] : [],
    };
    process.send?.({ report });
  }
  // Calls the bot made in its answers to webhook requests, which Telegram makes itself.
  const answers = (message as { answers?: string[] }).answers;
  if (answers) for (const body of answers) void fake.webhookAnswer("application/json", body);
  const push = (message as { push?: Array<{ update_id: number }> }).push;
  if (push) for (const update of push) fake.pushUpdate(update);
});
process.on("disconnect", () => {
  void fake.close().then(() => process.exit(0));
});
