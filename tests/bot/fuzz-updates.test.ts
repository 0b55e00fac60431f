import fc from "fast-check";
import { pino } from "pino";
import type { Telegraf } from "telegraf";
import { beforeAll, describe, expect, it } from "vitest";
import type { BotContext } from "../../bot/context.js";
import { encodeCallback } from "../../bot/ui/callback-data.js";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupFakeTelegram } from "../jobs/outbox-harness.js";
import { harnessBot } from "./bot-harness.js";

/**
 * Random Telegram updates of every kind — well-formed ones from a few people and
 * chats (the staff chat among them), commands, huge and broken texts, files,
 * buttons with valid-looking and unknown callback data, membership changes — then
 * some of their fields replaced by values of the wrong type. The bot must handle
 * each: handleUpdate never rejects and nothing reaches the generic error path
 * ("bot update failed", an unexpected exception). The regular suite runs a small
 * seed-fixed sample; `npm run fuzz` runs FUZZ_RUNS (10,000) with a fresh seed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// Fixed in the regular suite; a fresh one per `npm run fuzz` (printed, to replay a failure).
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 19));
const STAFF = -1_004_977;

const world = setupTestWorld({ staffChatId: STAFF });
const fakeTelegram = setupFakeTelegram();
const logged: { msg: string; err?: { message?: string; stack?: string } }[] = [];
let bot: Telegraf<BotContext>;
let ticketId = "";

beforeAll(async () => {
  const w = world();
  // Errors the bot logs, caught here: each is a handler that threw something unexpected.
  const logger = pino({ level: "warn" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  bot = await harnessBot(w, fakeTelegram(), STAFF, { logger });
  const requester = await w.user("requester", { telegramId: 981_001 });
  await w.user("agent", { telegramId: 981_002 });
  await w.user("admin", { telegramId: 981_003 });
  ticketId = (
    await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Fuzzed", body: "For the buttons", categoryId: await w.categoryId() },
    })
  ).id;
});

const huge = "ي".repeat(5000);
let queryId = 1;
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("/start", "/new", "/my", "/track", "/settings", "/lang", "/cancel", "/doctor", "/canned"),
  fc.constantFrom(
    "/help",
    "/nope",
    "/start ",
    "/start T-20260101-0001",
    "/track T-1",
    "/new@helpdesk_bot",
    huge,
  ),
  fc.constantFrom("\u0000", "\uD800", "\uFFFF", "<b>x</b>", "&amp;", "‮", "T-20260320-0001"),
);
const person = fc.oneof(
  fc.constantFrom(981_001, 981_002, 981_003, 981_004),
  fc.integer({ min: 1, max: 2 ** 40 }),
);
const user = person.map((id) => ({ id, is_bot: false, first_name: `F${id}`, language_code: "en" }));
const chat = fc.oneof(
  fc.constant<"own">("own"),
  fc.constantFrom(
    { id: STAFF, type: "supergroup", title: "Staff" },
    { id: STAFF, type: "supergroup", title: "Staff", is_forum: true },
    { id: -100_555, type: "group", title: "Other" },
    { id: -100_777, type: "channel", title: "Chan" },
  ),
);
const file = fc.record({
  file_id: fc.string({ minLength: 1, maxLength: 20 }),
  file_unique_id: fc.string({ minLength: 1, maxLength: 10 }),
  file_size: fc.oneof(fc.nat(), fc.constant(2 ** 31)),
});
const content = fc.oneof(
  {
    weight: 5,
    arbitrary: text.map((t) =>
      t.startsWith("/")
        ? { text: t, entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0].length }] }
        : { text: t },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(
        file.map((f) => ({ ...f, width: 10, height: 10 })),
        { minLength: 1, maxLength: 3 },
      )
      .map((photo) => ({ photo, caption: "c" })),
  },
  {
    weight: 1,
    arbitrary: file.map((f) => ({ document: { ...f, file_name: "a.pdf", mime_type: "application/pdf" } })),
  },
  { weight: 1, arbitrary: file.map((f) => ({ voice: { ...f, duration: 3 } })) },
  { weight: 1, arbitrary: fc.constant({ location: { latitude: 1, longitude: 2 } }) },
  {
    weight: 1,
    arbitrary: fc.constant({
      sticker: {
        file_id: "s",
        file_unique_id: "s",
        type: "regular",
        width: 1,
        height: 1,
        is_animated: false,
        is_video: false,
      },
    }),
  },
  { weight: 1, arbitrary: user.map((u) => ({ new_chat_members: [u] })) },
  { weight: 1, arbitrary: fc.constant({ forum_topic_created: { name: "t", icon_color: 1 } }) },
);
const message = fc
  .record({
    message_id: fc.nat({ max: 1_000_000 }),
    from: user,
    chat,
    content,
    reply: fc.option(fc.nat({ max: 1000 }), { nil: undefined }),
    thread: fc.option(fc.nat({ max: 1000 }), { nil: undefined }),
  })
  .map(({ message_id, from, chat: c, content: body, reply, thread }) => {
    const where = c === "own" ? { id: from.id, type: "private", first_name: from.first_name } : c;
    return {
      message_id,
      date: 1_790_000_000,
      from,
      chat: where,
      ...body,
      ...(thread !== undefined ? { message_thread_id: thread, is_topic_message: true } : {}),
      ...(reply !== undefined
        ? { reply_to_message: { message_id: reply, date: 1, chat: where, text: "r" } }
        : {}),
    };
  });
const callbackData = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc
    .constantFrom(
      "take",
      "rate",
      "close",
      "reopen",
      "card",
      "lang",
      "my",
      "st",
      "pr",
      "asg",
      "menu",
      "nav",
      "cn",
    )
    .chain((a) =>
      fc
        .array(fc.oneof(fc.string({ maxLength: 24 }), fc.constant("ticket"), fc.nat().map(String)), {
          maxLength: 3,
        })
        .map((vs) =>
          [
            a,
            ...vs.map((v) => (v === "ticket" ? encodeCallback({ a: "card", t: ticketId }).split(":")[1] : v)),
          ].join(":"),
        ),
    ),
  fc.constantFrom("valueOf", "constructor", "__proto__", "toString:x", "hasOwnProperty:a:b"),
  fc.constant(null).map(() => encodeCallback({ a: "take", t: ticketId })),
  fc.constant(null).map(() => encodeCallback({ a: "close", t: ticketId })),
);
const memberStatus = fc.constantFrom("member", "administrator", "left", "kicked", "restricted", "creator");
const update = fc.oneof(
  { weight: 6, arbitrary: message.map((m) => ({ message: m })) },
  { weight: 1, arbitrary: message.map((m) => ({ edited_message: { ...m, edit_date: 2 } })) },
  {
    weight: 3,
    arbitrary: fc.record({ from: user, data: callbackData, m: message }).map(({ from, data, m }) => ({
      callback_query: { id: `cq${queryId++}`, from, chat_instance: "1", data, message: m },
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ from: user, old: memberStatus, now: memberStatus, c: chat })
      .map(({ from, old, now, c }) => ({
        my_chat_member: {
          chat: c === "own" ? { id: from.id, type: "private", first_name: "x" } : c,
          from,
          date: 1,
          old_chat_member: { status: old, user: { id: 1, is_bot: true, first_name: "bot" } },
          new_chat_member: { status: now, user: { id: 1, is_bot: true, first_name: "bot" } },
        },
      })),
  },
  { weight: 1, arbitrary: user.map((from) => ({ inline_query: { id: "i", from, query: "q", offset: "" } })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ something_new: v })) },
);
/** Replaces a few fields anywhere in the update with values of the wrong type. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, 0, -1, "", "x", true, [], {}, 2 ** 53, huge),
  fc.jsonValue({ maxDepth: 2 }),
);
const fuzzedUpdate = fc
  .tuple(update, fc.array(fc.tuple(fc.nat(), wrongValue), { maxLength: 3 }), fc.boolean())
  .map(([u, changes, mutate]) => {
    if (!mutate) return u;
    const copy = structuredClone(u) as Record<string, unknown>;
    for (const [n, v] of changes) {
      const paths = pathsOf(copy);
      const path = paths[n % paths.length];
      let at: Record<string, unknown> = copy;
      for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
      at[path[path.length - 1]] = v;
    }
    return copy;
  });

function pathsOf(v: unknown, prefix: string[] = []): string[][] {
  if (!v || typeof v !== "object") return [prefix];
  const children = Object.entries(v).flatMap(([k, c]) => pathsOf(c, [...prefix, k]));
  return prefix.length > 0 ? [prefix, ...children] : children;
}

describe("fuzzing bot updates", () => {
  it(`handles ${RUNS} random updates without a crash or an unexpected error`, async () => {
    let updateId = 5_000_000;
    const crashes: string[] = [];
    let refusals = 0;
    let dropped = 0;
    const started = performance.now();
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fuzzedUpdate, async (u) => {
        const full = { update_id: updateId++, ...u };
        const kind = Object.keys(u)[0];
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        try {
          await bot.handleUpdate(full as never);
        } catch (err) {
          crashes.push(`${(err as Error).message} in ${JSON.stringify(full).slice(0, 300)}`);
        }
        const lines = logged.splice(0);
        dropped += lines.filter((l) => l.msg === "malformed update dropped").length;
        const errors = lines.filter((l) => l.msg === "bot update failed");
        // The fake Bot API refuses, as Telegram does, to edit or answer what it never sent:
        // the bot apologises; counted apart, not a crash of ours.
        refusals += errors.filter((e) => e.err?.message?.startsWith("400: Bad Request")).length;
        for (const e of errors.filter((e) => !e.err?.message?.startsWith("400: Bad Request")))
          crashes.push(`logged: ${e.err?.message} in ${JSON.stringify(full).slice(0, 300)}\n${e.err?.stack}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fuzz bot: ${RUNS} updates in ${seconds.toFixed(1)} s (seed ${SEED}): ${crashes.length} crashes, ${dropped} dropped as malformed, ${refusals} Bot API refusals apologised for, ` +
        `kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
    );
    if (crashes.length > 0) {
      const byKind = new Map<string, number>();
      for (const c of crashes) byKind.set(c.split(" in {")[0], (byKind.get(c.split(" in {")[0]) ?? 0) + 1);
      console.log([...byKind].map(([k, n]) => `${n} × ${k}`).join("\n"));
      console.log(crashes.slice(0, 3).join("\n\n"));
    }
    expect(crashes).toEqual([]);
  }, 900_000);
});
