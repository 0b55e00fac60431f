import { and, eq } from "drizzle-orm";
import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, settings, TICKET_STATUSES, tickets, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { type BotWorld, setupBot } from "./bot-harness.js";

/**
 * Every requester command and the staff-chat answers, in each of the three
 * languages, through both real doors: the webhook route and long polling. The
 * expected texts are the locale files' own, so a missing or untranslated answer
 * (falling back to another language) fails here.
 */
const STAFF = -1004200;
// A database per door: each door has its own fake Telegram, whose message ids would collide.
const worlds = {
  webhook: setupTestWorld({ staffChatId: STAFF }),
  polling: setupTestWorld({ staffChatId: STAFF }),
};
const doors = {
  webhook: setupBot(worlds.webhook, STAFF, { transport: "webhook" }),
  polling: setupBot(worlds.polling, STAFF, { transport: "polling" }),
};
let i18n: Awaited<ReturnType<typeof createI18n>>;
beforeAll(async () => {
  i18n = await createI18n("fa");
  // Each language's script sends more than a minute's flood allowance (abuse.test.ts tests that).
  for (const world of Object.values(worlds))
    await world().db.insert(settings).values({ key: "flood_messages_per_minute", value: 1000 });
});

/** The script each language must show: Persian letters, Latin, or Cyrillic. */
const SCRIPT = { fa: /[\u0600-\u06FF]/, en: /[A-Za-z]/, ru: /[\u0400-\u04FF]/ } as const;
let nextId = 670_000;

describe.each([
  ["fa", "webhook"],
  ["en", "webhook"],
  ["ru", "webhook"],
  ["fa", "polling"],
  ["en", "polling"],
  ["ru", "polling"],
] as const)("speaking %s through %s", (lang, door) => {
  it("answers every command, bad input and the staff chat in that language", async () => {
    const w: World = worlds[door]();
    const bw: BotWorld = doors[door]();
    const { send, textsTo, fake } = bw;
    const t: TFunction = i18n.getFixedT(lang, "bot");
    const errors: TFunction = i18n.getFixedT(lang, "errors");
    // Telegram says German: the bot asks, and from then on speaks the choice.
    const tg = tgUser(nextId++, "de");
    const said = () => textsTo(tg.id).at(-1) ?? "";

    await send(updates.text(tg, "/start"));
    expect(said()).toBe(t("choose_language"));
    await send(updates.callback(tg, `lang:${lang}`));
    expect(textsTo(tg.id).slice(-2)).toEqual([t("language_saved"), t("welcome")]);
    expect(said()).toMatch(SCRIPT[lang]);

    await send(updates.text(tg, "/help"));
    expect(said()).toBe(t("help"));
    await send(updates.text(tg, "/my"));
    expect(said()).toBe(t("my.empty"));
    await send(updates.text(tg, "/track"));
    expect(said()).toBe(t("track.usage"));
    await send(updates.text(tg, "/track T-19990101-0001"));
    expect(said()).toBe(errors("NOT_FOUND"));
    await send(updates.text(tg, "/cancel"));
    expect(said()).toBe(t("nothing_to_cancel"));
    await send(updates.text(tg, "/lang"));
    expect(said()).toBe(t("choose_language"));
    await send(updates.text(tg, "/frobnicate"));
    expect(said()).toBe(t("unknown_command"));
    // A location is kept like any message (with no ticket yet, the bot asks where it goes); a poll is refused by name.
    await send(updates.location(tg));
    expect(said()).toBe(t("reply.no_ticket"));
    await send(updates.poll(tg));
    expect(said()).toBe(t("unsupported", { what: t("kind.poll") }));
    await send(updates.text(tg, "hello?"));
    expect(said()).toBe(t("reply.no_ticket"));

    await send(updates.text(tg, "/settings"));
    expect(said()).toBe(t("settings.title"));
    const toggles = fake.sends(tg.id).at(-1)?.params.reply_markup as {
      inline_keyboard: { text: string }[][];
    };
    const kinds = toggles.inline_keyboard.flat().map((b) => b.text.slice(3));
    expect(kinds).toContain(t("settings.kind.new_message"));
    // Only what a person can be sent: no switch for SLA warnings (not sent yet) or staff-chat notices.
    expect(kinds).not.toContain(t("settings.kind.sla_breach"));
    expect(kinds).not.toContain(t("settings.kind.system"));

    // /new: each step and its complaints in the language, then cancel.
    await send(updates.text(tg, "/new"));
    expect(said()).toBe(t("new.choose_category"));
    const category = bw.lastButtons(tg.id).find((b) => b.startsWith("cat:")) ?? "";
    await send(updates.callback(tg, category));
    expect(said()).toBe(t("new.ask_title"));
    await send(updates.text(tg, "ab"));
    expect(said()).toBe(t("new.title_invalid", { length: 2 }));
    await send(updates.text(tg, "x".repeat(10_000)));
    expect(said()).toBe(t("new.title_invalid", { length: 10_000 }));
    await send(updates.text(tg, "/cancel"));
    expect(said()).toBe(t("cancelled"));

    // The whole walk to a ticket, then following it: each answer in the language.
    await send(updates.text(tg, "/new"));
    await send(updates.callback(tg, bw.lastButtons(tg.id).find((b) => b.startsWith("cat:")) ?? ""));
    await send(updates.text(tg, "Projector in room 7"));
    expect(said()).toBe(t("new.ask_description"));
    await send(updates.text(tg, "It turns off after a minute"));
    expect(said()).toBe(t("new.ask_attachments", { mb: 10 }));
    await send(updates.callback(tg, "flow:skip"));
    expect(said()).toBe(t("new.ask_priority"));
    await send(updates.callback(tg, "pri:high"));
    expect(said().split("\n")[0]).toBe(t("new.summary").split("\n")[0]);
    await send(updates.callback(tg, "flow:confirm"));
    const [me] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
    const [mine] = await w.db.select().from(tickets).where(eq(tickets.requesterId, me.id));
    expect(said()).toBe(t("new.created", { number: mine.number }));
    await send(updates.text(tg, `/track ${mine.number}`));
    expect(said()).toContain(t("common:status.open"));
    await send(updates.callback(tg, `reply:${mine.id.replaceAll("-", "")}`));
    await send(updates.text(tg, "It also smells of smoke"));
    // "Added" answers go through the outbox, within the chat's budget.
    await drainAll(await deliveryWorker(w.db, fake), w.db);
    expect(said()).toBe(i18n.getFixedT(lang, "notify")("received", { number: mine.number }));

    // In the staff group: the same person, made an agent, gets answers in their language too.
    await w.db.update(users).set({ role: "agent" }).where(eq(users.telegramId, tg.id));
    await send(updates.groupText(tg, STAFF, "/note where does this go?"));
    expect(textsTo(STAFF).at(-1)).toBe(t("staff.unknown_ticket"));
    await send(updates.groupText(tg, STAFF, "/my"));
    expect(textsTo(STAFF).at(-1)).toBe(t("private_only"));
    const requester = tgUser(nextId++, "en");
    await send(updates.text(requester, "/help"));
    const [asker] = await w.db.select().from(users).where(eq(users.telegramId, requester.id));
    const ticket = await createTicket({
      ctx: w.ctx(asker),
      input: { title: "Wi-Fi in room 7", categoryId: await w.categoryId() },
    });
    const worker = await deliveryWorker(w.db, fake);
    await drainAll(worker, w.db);
    const [post] = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.chatId, STAFF)));
    await send(updates.groupText(tg, STAFF, "/note router replaced", post.sentMessageId ?? 0));
    expect(textsTo(STAFF).at(-1)).toBe(t("staff.note_saved", { number: ticket.number }));
    await send(updates.groupText(tg, STAFF, "/status nonsense", post.sentMessageId ?? 0));
    expect(textsTo(STAFF).at(-1)).toBe(t("staff.status_usage", { statuses: TICKET_STATUSES.join(", ") }));
    // Not a fallback to another language: each answer is written in this language's script.
    for (const key of ["help", "my.empty", "unknown_command", "staff.unknown_ticket", "new.ask_title"])
      expect(t(key)).toMatch(SCRIPT[lang]);
  });
});
