import { sql } from "drizzle-orm";
import { connectPostgres, createDb, type Db, type DbHandle, withDatabase } from "../drizzle/client.js";
import { botSessions, scheduledJobs, type User, users } from "../drizzle/schema/index.js";
import { createContextFactory } from "../server/domain/build-context.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { assignTicket, changeTicketStatus, createTicket, updateSettings } from "../server/domain/index.js";
import type { TgUser } from "../server/sandbox/bot-api/updates.js";
import { insertRequesters } from "./bench-people.js";

export const BOT_TOKEN = "123456:CHAOS-token-for-the-fake-bot-api";
export const STAFF_CHAT = -1001234567890;
export const AGENT_TG_BASE = 4_100_000;
const settings = (staffChatId: number | null) => ({
  timeZone: "Asia/Tehran",
  staffChatId,
  maxFileBytes: 10 << 20,
});

/** A fresh PostgreSQL database next to DATABASE_URL / TEST_DATABASE_URL, migrated; `drop()` removes it. */
export async function createRunDatabase(
  prefix: string,
): Promise<{ url: string; handle: DbHandle; drop(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    console.error(
      `${prefix} needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)`,
    );
    process.exit(1);
  }
  const name = `helpdesk_${prefix}_${Date.now()}`;
  const admin = connectPostgres(baseUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(baseUrl, name);
  const handle = await createDb({ DATA_DIR: "", DATABASE_URL: url, maxConnections: 3 });
  await handle.migrate();
  return {
    url,
    handle,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface Requester {
  tg: TgUser;
  user: User;
  ticketId: string;
}

export interface WorldOptions {
  requesters: number;
  agents: number;
  staffChatId: number | null;
  /** Resolved tickets whose auto-close job falls due within this many seconds (0: none). */
  autoCloseWithinS?: number;
  /** How many of them. */
  autoCloses?: number;
  random?: () => number;
}

/**
 * The helpdesk before the run: requesters with an open ticket each (half of them
 * assigned to an agent, so their messages also reach the agent's private chat),
 * each in that ticket's reply conversation, so every plain message they send goes
 * into its thread; agents who sign in through the Mini App's initData; and
 * resolved tickets whose auto-close job falls due during the run (the scheduler's
 * work under the kills).
 */
export async function seedWorld(db: Db, opts: WorldOptions) {
  const random = opts.random ?? Math.random;
  await seedDefaults(db);
  const category = await db.query.categories.findFirst();
  const [admin] = await db
    .insert(users)
    .values({ telegramId: 4_099_999, firstName: "Chaos admin", role: "admin", languageChosen: true })
    .returning();
  const agents = await db
    .insert(users)
    .values(
      Array.from({ length: opts.agents }, (_, i) => ({
        telegramId: AGENT_TG_BASE + i,
        firstName: `Agent ${i}`,
        role: "agent" as const,
        language: "en" as const,
        languageChosen: true,
      })),
    )
    .returning();
  const { people, rows } = await insertRequesters(db, opts.requesters);
  const contexts = createContextFactory({ db, settings: settings(opts.staffChatId) });
  const asAdmin = contexts.forUser(admin);
  // The load offers a requester up to ~24 messages a minute, past the default flood limit
  // (20): refused messages are dropped by design and would read as lost in the account.
  // Flood control has tests of its own (tests/bot/abuse.test.ts); here it is lifted.
  await updateSettings({ ctx: asAdmin, input: { flood_messages_per_minute: 1000 } });
  const requesters: Requester[] = [];
  for (const [i, user] of rows.entries()) {
    const ticket = await createTicket({
      ctx: contexts.forUser(user),
      input: { title: `Chaos ticket ${i}`, description: `Printer ${i} is broken`, categoryId: category!.id },
    });
    if (i % 2 === 0)
      await assignTicket({
        ctx: asAdmin,
        input: { ticketId: ticket.id, assigneeId: agents[i % agents.length].id },
      });
    requesters.push({ tg: people[i], user, ticketId: ticket.id });
  }
  const closing: string[] = [];
  for (let i = 0; i < (opts.autoCloses ?? 0); i++) {
    const r = requesters[i % requesters.length];
    const t = await createTicket({
      ctx: contexts.forUser(r.user),
      input: {
        title: `Closing ticket ${i}`,
        description: "Resolved, waiting to close",
        categoryId: category!.id,
      },
    });
    await changeTicketStatus({ ctx: asAdmin, input: { ticketId: t.id, status: "in_progress" } });
    await changeTicketStatus({ ctx: asAdmin, input: { ticketId: t.id, status: "resolved" } });
    closing.push(t.id);
  }
  // Resolving scheduled each close in auto_close_hours (72 h): bring them into the run.
  const within = opts.autoCloseWithinS ?? 0;
  for (const id of closing)
    await db
      .update(scheduledJobs)
      .set({ runAt: new Date(Date.now() + 5000 + random() * within * 1000) })
      .where(sql`${scheduledJobs.key} = ${`auto_close:${id}`}`);
  const expires = Math.floor(Date.now() / 1000) + 24 * 3600;
  await db.insert(botSessions).values(
    requesters.map((r) => ({
      key: `${r.tg.id}:${r.tg.id}`,
      data: { __scenes: { current: "reply-to-ticket", state: { replyTo: r.ticketId }, expires } },
    })),
  );
  return { admin, agents, requesters, closing, categoryId: category!.id };
}
