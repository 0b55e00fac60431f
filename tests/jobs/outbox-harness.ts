import { count, inArray } from "drizzle-orm";
import { pino } from "pino";
import { Telegram } from "telegraf";
import { afterAll, beforeAll } from "vitest";
import { createTelegramDeliverer } from "../../bot/delivery/deliverer.js";
import type { Db } from "../../drizzle/client.js";
import { notifications, tickets, users } from "../../drizzle/schema/index.js";
import type { FileStore } from "../../server/domain/context.js";
import type { RateLimits } from "../../server/domain/delivery/budget.js";
import type { Deliverer } from "../../server/domain/delivery/port.js";
import { createI18n } from "../../server/i18n.js";
import { createOutboxWorker, type OutboxWorkerOptions } from "../../server/jobs/outbox/worker.js";
import { createFakeTelegram, type FakeTelegram } from "../../server/sandbox/bot-api/server.js";

export const TEST_TOKEN = "123456:TEST-token-for-the-fake-bot-api";
export const silentLogger = pino({ level: "silent" });
/** The PUBLIC_URL the test bot and deliverer share, as main.ts gives both the same one. */
export const TEST_PUBLIC_URL = "https://desk.example.org";

export async function telegramDeliverer(
  db: Db,
  fake: FakeTelegram,
  timeoutMs?: number,
  files?: FileStore,
): Promise<Deliverer> {
  const i18n = await createI18n("fa");
  const telegram = new Telegram(TEST_TOKEN, { apiRoot: fake.url });
  return createTelegramDeliverer({
    db,
    i18n,
    telegram,
    staffLanguage: "fa",
    publicUrl: TEST_PUBLIC_URL,
    timeoutMs,
    files,
  });
}

export function outboxWorker(db: Db, deliver: Deliverer, extra: Partial<OutboxWorkerOptions> = {}) {
  return createOutboxWorker({ db, deliver, logger: silentLogger, idleMs: 20, ...extra });
}

/** A worker delivering through the fake Bot API (limits relaxed unless given; files from a store when given). */
export async function deliveryWorker(
  db: Db,
  fake: FakeTelegram,
  opts: { limits?: RateLimits; files?: FileStore } = {},
) {
  return outboxWorker(db, await telegramDeliverer(db, fake, undefined, opts.files), {
    limits: opts.limits ?? RELAXED_LIMITS,
  });
}

/** A fake Bot API for the calling test file (edits of messages it never sent fail, as on Telegram). */
export function setupFakeTelegram(): () => FakeTelegram {
  let fake: FakeTelegram | undefined;
  beforeAll(async () => {
    fake = await createFakeTelegram({ strictMessages: true });
  });
  afterAll(async () => {
    await fake?.close();
  });
  return () => {
    if (!fake) throw new Error("fake Telegram exists only inside tests");
    return fake;
  };
}

/** Limits loose enough that rule tests never wait on the rate limiter. */
export const RELAXED_LIMITS: RateLimits = {
  global: { count: 1000, windowMs: 1000 },
  privateChat: { count: 100, windowMs: 1000 },
  groupChat: { count: 100, windowMs: 1000 },
};

/** Rows still to be sent (pending, or claimed and in flight). */
export async function undelivered(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(inArray(notifications.state, ["pending", "sending"]));
  return row.n;
}

/** Runs drain rounds until the outbox is empty (or the time budget runs out). */
export async function drainAll(
  worker: { drainOnce(): Promise<number> },
  db: Db,
  budgetMs = 20_000,
): Promise<void> {
  const end = Date.now() + budgetMs;
  while (Date.now() < end) {
    if ((await worker.drainOnce()) > 0) continue;
    if ((await undelivered(db)) === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  const left = await db
    .select()
    .from(notifications)
    .where(inArray(notifications.state, ["pending", "sending"]));
  throw new Error(`outbox not drained within ${budgetMs} ms: ${JSON.stringify(left)}`);
}

/** A bare ticket (and its requester) for outbox tests that only need rows to send. */
export async function seedTicket(db: Db, telegramId: number, number: string): Promise<string> {
  const [requester] = await db.insert(users).values({ telegramId, firstName: "R" }).returning();
  const category = await db.query.categories.findFirst();
  if (!category) throw new Error("seed the default categories first");
  const [ticket] = await db
    .insert(tickets)
    .values({ number, title: number, categoryId: category.id, requesterId: requester.id })
    .returning();
  return ticket.id;
}

/** `count` system notifications of a ticket, one per chat from `firstChat` on. */
export async function queueNotifications(
  db: Db,
  ticketId: string,
  opts: { count: number; firstChat: number; chats?: number; keyPrefix: string },
): Promise<void> {
  await db.insert(notifications).values(
    Array.from({ length: opts.count }, (_, i) => ({
      chatId: opts.firstChat + (i % (opts.chats ?? opts.count)),
      ticketId,
      type: "system" as const,
      idempotencyKey: `${opts.keyPrefix}-${i}`,
    })),
  );
}
