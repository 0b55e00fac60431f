import { eq } from "drizzle-orm";
import { pino } from "pino";
import { Telegram } from "telegraf";
import { beforeAll, describe, expect, it } from "vitest";
import { createTelegramDeliverer } from "../../bot/delivery/deliverer.js";
import { notifications, type SlaState, tickets } from "../../drizzle/schema/index.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import {
  drainAll,
  outboxWorker,
  RELAXED_LIMITS,
  setupFakeTelegram,
  TEST_PUBLIC_URL,
  TEST_TOKEN,
} from "./outbox-harness.js";

/**
 * SLA in Telegram: the staff card's SLA line (edited when the state changes, not as
 * minutes pass), the warning to the assignee and the breach to the staff chat, and a
 * forum topic renamed with ⚠️ / 🔥. The scheduler's part is simulated: columns set and
 * sla_warning / sla_breach rows written as it records them.
 */
const STAFF = -1007700;
const FORUM = -1007701;
const world = setupTestWorld({ staffChatId: STAFF });
const fakeTelegram = setupFakeTelegram();
let w: World;
let key = 0;
const NOW = new Date("2026-03-20T08:00:00Z");
let now = NOW;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

beforeAll(() => {
  w = world();
});

async function worker() {
  const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
  const deliver = createTelegramDeliverer({
    db: w.db,
    i18n: await createI18n("en"),
    telegram,
    staffLanguage: "en",
    publicUrl: TEST_PUBLIC_URL,
    timeZone: "UTC",
    clock: { now: () => now },
  });
  return outboxWorker(w.db, deliver, { limits: RELAXED_LIMITS });
}

async function setSla(
  ticketId: string,
  slaState: SlaState,
  due: Partial<Record<"firstResponseDueAt" | "resolutionDueAt", Date | null>>,
) {
  // The columns as the scheduler would leave them; no clock, so the ticket's own changes
  // in this test (an answer) leave the state this test sets alone.
  await w.db
    .update(tickets)
    .set({
      slaState,
      slaClock: null,
      firstResponseDueAt: null,
      nextResponseDueAt: null,
      resolutionDueAt: null,
      ...due,
    })
    .where(eq(tickets.id, ticketId));
}

/** A row as the SLA scheduler records it. */
function slaRow(
  type: "sla_warning" | "sla_breach",
  ticketId: string,
  chatId: number,
  recipientId: string | null,
  payload: { target: string; dueAt: string; state: string },
) {
  return w.db
    .insert(notifications)
    .values({ type, ticketId, chatId, recipientId, payload, idempotencyKey: `sla-${key++}` });
}

describe("SLA in the staff chat and to the assignee", () => {
  it("shows the SLA on the card, edits it when the state changes, not as time passes", async () => {
    const fake = fakeTelegram();
    const outbox = await worker();
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Wi-Fi in the library", categoryId: await w.categoryId() },
    });
    await setSla(ticket.id, "on_track", { firstResponseDueAt: at(135) });
    await drainAll(outbox, w.db);
    const card = fake.sends(STAFF)[0];
    expect(String(card.params.text)).toContain("⏱ SLA: first response due 10:15");
    const edits = () => fake.callsOf("editMessageText").filter((c) => Number(c.params.chat_id) === STAFF);

    // Time passes (still on track): the next update leaves the card as it is.
    now = at(30);
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ticket.id, body: "Still down" } });
    await drainAll(outbox, w.db);
    expect(edits()).toHaveLength(0);

    // At risk: the warning goes to the assignee in private, with the open button.
    now = at(110);
    await w.db.update(tickets).set({ assigneeId: agent.id }).where(eq(tickets.id, ticket.id));
    await setSla(ticket.id, "at_risk", { firstResponseDueAt: at(135) });
    await slaRow("sla_warning", ticket.id, agent.telegramId, agent.id, {
      target: "first_response",
      dueAt: at(135).toISOString(),
      state: "at_risk",
    });
    await drainAll(outbox, w.db);
    const warning = fake.sends(agent.telegramId).at(-1);
    expect(warning?.params.text).toBe(
      `⚠️ ${ticket.number} “Wi-Fi in the library”: first response due at 10:15`,
    );
    expect(JSON.stringify(warning?.params.reply_markup)).toContain(`startapp=t_${ticket.number}`);

    // Breached: the staff chat hears it under the card, and the card shows the new state.
    now = at(140);
    await setSla(ticket.id, "breached", { firstResponseDueAt: at(135) });
    await slaRow("sla_breach", ticket.id, STAFF, null, {
      target: "first_response",
      dueAt: at(135).toISOString(),
      state: "breached",
    });
    await drainAll(outbox, w.db);
    expect(edits()).toHaveLength(1);
    expect(String(edits()[0].params.text)).toContain("🔥 SLA breached: first response was due 10:15");
    const breach = fake.sends(STAFF).at(-1);
    expect(breach?.params.text).toBe(
      `🔥 ${ticket.number} “Wi-Fi in the library” breached its first response target (due 10:15)`,
    );
    expect(JSON.stringify(breach?.params.reply_markup)).toContain(`startapp=t_${ticket.number}`);
    // Under the card (the message the edit changed), as every update in a plain group.
    expect(breach?.params.reply_parameters).toMatchObject({
      message_id: Number(edits()[0].params.message_id),
    });

    // Met: the card says so on the next update.
    await setSla(ticket.id, "met", {});
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: ticket.id, body: "On it" } });
    await drainAll(outbox, w.db);
    expect(edits()).toHaveLength(2);
    expect(String(edits()[1].params.text)).toContain("✅ SLA met");
    now = NOW;
  });

  it("gives a due time on another day its date", async () => {
    const fake = fakeTelegram();
    const outbox = await worker();
    const requester = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Projector", categoryId: await w.categoryId() },
    });
    await setSla(ticket.id, "on_track", { resolutionDueAt: at(3 * 24 * 60) });
    await drainAll(outbox, w.db);
    expect(String(fake.sends(STAFF).at(-1)?.params.text)).toContain(
      "⏱ SLA: resolution due 23 Mar 2026, 08:00",
    );
  });

  it("renames a forum topic with the state and posts the breach in it", async () => {
    const fake = fakeTelegram();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    const outbox = await worker();
    const requester = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Door badge", categoryId: await w.categoryId() },
    });
    await drainAll(outbox, w.db);
    await setSla(ticket.id, "at_risk", { resolutionDueAt: at(20) });
    await slaRow("sla_warning", ticket.id, FORUM, null, {
      target: "resolution",
      dueAt: at(20).toISOString(),
      state: "at_risk",
    });
    await drainAll(outbox, w.db);
    const renames = () => fake.callsOf("editForumTopic").map((c) => String(c.params.name));
    expect(renames()).toEqual([`⚠️ 🟢 ${ticket.number} · Door badge`]);
    expect(fake.callsOf("createForumTopic")).toHaveLength(1);
    const threadId = fake.sends(FORUM).at(-1)?.params.message_thread_id;
    expect(threadId).toBeTypeOf("number");

    await setSla(ticket.id, "breached", { resolutionDueAt: at(20) });
    await slaRow("sla_breach", ticket.id, FORUM, null, {
      target: "resolution",
      dueAt: at(20).toISOString(),
      state: "breached",
    });
    await drainAll(outbox, w.db);
    expect(renames().at(-1)).toBe(`🔥 🟢 ${ticket.number} · Door badge`);
    const post = fake.sends(FORUM).at(-1);
    expect(post?.params.message_thread_id).toBe(threadId);
    expect(post?.params.text).toBe(
      `🔥 ${ticket.number} “Door badge” breached its resolution target (due 08:20)`,
    );
  });

  it("posts a breach the real scheduler raised, as the engine records it", async () => {
    const fake = fakeTelegram();
    const outbox = await worker();
    const requester = await w.user("requester");
    w.clock.set(new Date("2026-03-21T08:00:00Z"));
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Projector in room 4", categoryId: await w.categoryId(), priority: "critical" },
    });
    // The seeded policy for critical tickets: a first response within 30 minutes.
    expect(ticket.firstResponseDueAt?.toISOString()).toBe("2026-03-21T08:30:00.000Z");
    await drainAll(outbox, w.db);
    w.clock.set(new Date("2026-03-21T08:31:00Z"));
    now = w.clock.now();
    const scheduler = createScheduler({
      db: w.db,
      clock: w.clock,
      system: () => w.system(),
      handlers: jobHandlers,
      logger: pino({ level: "silent" }),
    });
    while ((await scheduler.runDue()) > 0) {}
    await drainAll(outbox, w.db);
    const texts = fake.sends(STAFF).map((c) => String(c.params.text));
    expect(texts).toContain(
      `🔥 ${ticket.number} “Projector in room 4” breached its first response target (due 08:30)`,
    );
  });
});
