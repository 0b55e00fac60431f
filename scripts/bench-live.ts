/**
 * `npm run bench:live`: N requesters ask for a live operator at once (/live, real
 * Telegram update JSON into the bot) while M operators are online; each operator
 * accepts what is offered (the Accept button), the requester writes, the operator
 * answers in their private chat, the operator ends the chat (the End button), and
 * the next one comes. The fake Bot API runs in its own process and holds the bot to
 * Telegram's flood limits. Prints whether the queue order was ever violated (chats
 * offered out of their queued order), the relay latency both ways (the update fed
 * to the bot → the relayed message posted by the fake Bot API), positions edited,
 * 429s and the total time.
 *
 * Options: --requesters N (200), --operators N (10), --capacity N (chats at once
 * per operator, 1), --think MS (each side's pause before writing, 1500: Telegram
 * allows one message a second per chat), --react MS (an operator's pause between
 * the offer reaching their chat and pressing its Accept button, 1000: a person
 * reads it first; the button is on that message, so nobody presses it earlier),
 * --db pglite|postgres, --timeout S (900),
 * --db-name NAME (the PostgreSQL database to create and drop; else helpdesk_bench_live_<time>).
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { and, eq, inArray, sql } from "drizzle-orm";
import { createDb, type DbHandle } from "../drizzle/client.js";
import { liveChats, notifications, users } from "../drizzle/schema/index.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { rowsOf } from "../server/domain/delivery/budget.js";
import { type TgUser, tgUser, updates } from "../server/sandbox/bot-api/updates.js";
import { percentile } from "./bench-burst-measure.js";
import { startProduct } from "./bench-burst-world.js";
import { createBenchDatabase } from "./bench-database.js";
import { insertRequesters } from "./bench-people.js";
import type { Report } from "./fake-telegram-process.js";

const { values } = parseArgs({
  options: {
    requesters: { type: "string", default: "200" },
    operators: { type: "string", default: "10" },
    capacity: { type: "string", default: "1" },
    think: { type: "string", default: "1500" },
    react: { type: "string", default: "1000" },
    db: { type: "string", default: "pglite" },
    timeout: { type: "string", default: "900" },
    "db-name": { type: "string" },
  },
});
const N = Number(values.requesters);
const M = Number(values.operators);
const THINK = Number(values.think);
const REACT = Number(values.react);
const TIMEOUT_MS = Number(values.timeout) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const b64 = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex").toString("base64url");

let handle: DbHandle;
let drop: () => Promise<void>;
if (values.db === "postgres") {
  const bench = await createBenchDatabase("bench:live", undefined, values["db-name"]);
  handle = bench.handle;
  drop = bench.drop;
} else {
  const dir = mkdtempSync(join(tmpdir(), "bench-live-"));
  handle = await createDb({ DATA_DIR: dir });
  await handle.migrate();
  drop = async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
const db = handle.db;
const fake = fork(
  new URL("./fake-telegram-process.ts", import.meta.url),
  ["--enforce-limits", "--private-words"],
  {
    execArgv: ["--import", "tsx"],
  },
);
const [{ url: fakeUrl }] = (await once(fake, "message")) as [{ url: string }];

/** When each mark was fed to the bot, and the chat it must reach. */
const sent = new Map<string, { at: number; to: number }>();

try {
  await seedDefaults(db);
  const operatorTgs: TgUser[] = Array.from({ length: M }, (_, i) => tgUser(6_000_000 + i, "en"));
  await db.insert(users).values(
    operatorTgs.map((tg) => ({
      telegramId: tg.id,
      firstName: tg.first_name,
      role: "agent" as const,
      language: "en" as const,
      languageChosen: true,
      liveCapacity: Number(values.capacity),
    })),
  );
  const { people } = await insertRequesters(db, N);
  const { bot, worker } = await startProduct(db, fakeUrl);
  bot.botInfo = await bot.telegram.getMe();
  worker.start();
  for (const tg of operatorTgs) await bot.handleUpdate(updates.text(tg, "/online") as never);

  console.log(`${N} requesters ask at once for ${M} operators (capacity ${values.capacity}, ${values.db})…`);
  const since = Date.now();
  const states = async () =>
    rowsOf<{ state: string; n: number }>(
      await db.execute(sql`select state, count(*)::int as n from live_chats group by state order by state`),
    )
      .map((r) => `${r.n} ${r.state}`)
      .join(", ");
  const ticker = setInterval(() => {
    void states().then((s) => console.log(`  ${((Date.now() - since) / 1000).toFixed(0)} s: ${s}`));
  }, 10_000);
  await Promise.all(people.map((tg) => bot.handleUpdate(updates.text(tg, "/live") as never)));
  const askedMs = Date.now() - since;
  const tgOf = new Map(people.map((p) => [p.id, p]));

  /** One operator's loop: take what is offered, talk, end, next. */
  const work = async (tg: TgUser) => {
    const [me] = await db.select().from(users).where(eq(users.telegramId, tg.id));
    while (Date.now() - since < TIMEOUT_MS) {
      const [offer] = await db
        .select({
          id: liveChats.id,
          requester:
            sql<number>`(select telegram_id from users r where r.id = ${liveChats.requesterId})`.mapWith(
              Number,
            ),
        })
        .from(liveChats)
        .where(and(eq(liveChats.state, "offered"), eq(liveChats.offeredTo, me.id)));
      if (!offer) {
        const [left] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(liveChats)
          .where(inArray(liveChats.state, ["queued", "offered"]));
        if (left.n === 0) return;
        await sleep(100);
        continue;
      }
      // The Accept button is on the offer's message: pressed once it is in the chat and read.
      while (Date.now() - since < TIMEOUT_MS) {
        const [shown] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(notifications)
          .where(
            and(
              eq(notifications.recipientId, me.id),
              eq(notifications.state, "sent"),
              sql`${notifications.payload}->'change'->>'chatId' = ${offer.id}`,
              sql`${notifications.payload}->'change'->>'event' = 'offer'`,
            ),
          );
        if (shown.n > 0) break;
        await sleep(50);
      }
      await sleep(REACT);
      await bot.handleUpdate(updates.callback(tg, `lv:acc:${b64(offer.id)}`) as never);
      const requester = tgOf.get(offer.requester) as TgUser;
      await sleep(THINK);
      const ask = `#r${offer.id}#`;
      sent.set(ask, { at: Date.now(), to: tg.id });
      await bot.handleUpdate(updates.text(requester, `Hello, my printer is broken ${ask}`) as never);
      await sleep(THINK);
      const answer = `#o${offer.id}#`;
      sent.set(answer, { at: Date.now(), to: requester.id });
      await bot.handleUpdate(updates.text(tg, `Try turning it off and on ${answer}`) as never);
      await sleep(THINK);
      await bot.handleUpdate(updates.callback(tg, `lv:end:${b64(offer.id)}`) as never);
    }
  };
  await Promise.all(operatorTgs.map(work));
  const talkedMs = Date.now() - since;
  clearInterval(ticker);
  // Let the outbox post what the last chats caused.
  for (let i = 0; i < 100; i++) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(inArray(notifications.state, ["pending", "sending"]));
    if (row.n === 0) break;
    await sleep(200);
  }
  await worker.stop();
  fake.send("report");
  const [{ report }] = (await once(fake, "message")) as [{ report: Report }];

  // Queue order: the order chats were first offered in (the offers' outbox sequence,
  // written under the routing lock) against the order they were queued in.
  const offers = await db.execute(sql`
    select l.queued_at, min(n.seq) as first_offer from live_chats l
    join notifications n on n.payload->'change'->>'chatId' = l.id::text and n.payload->'change'->>'event' = 'offer'
    group by l.id, l.queued_at order by first_offer`);
  const rows = rowsOf<{ queued_at: string | Date }>(offers);
  let violations = 0;
  for (let i = 1; i < rows.length; i++)
    if (new Date(rows[i].queued_at).getTime() < new Date(rows[i - 1].queued_at).getTime()) violations++;

  const latencies = { toOperator: [] as number[], toRequester: [] as number[] };
  /** For a slow relay: what the bot posted to the same chat in the second before it (the private chat's window it waited for). */
  const before = new Map<string, number>();
  let missing = 0;
  for (const [mark, s] of sent) {
    const hit = report.posted.find(
      (p) => p.chatId === s.to && p.method === "sendMessage" && p.text?.includes(mark),
    );
    if (!hit) {
      missing++;
      continue;
    }
    (mark.startsWith("#r") ? latencies.toOperator : latencies.toRequester).push(hit.at - s.at);
    if (hit.at - s.at > 200)
      for (const p of report.posted)
        if (p.chatId === s.to && p.at < hit.at && p.at > hit.at - 1000) {
          const what = `${mark.startsWith("#r") ? "operator" : "requester"} chat: ${p.method} "${(p.text ?? "").slice(0, 40).replace(/[0-9#-]+/g, "…")}"`;
          before.set(what, (before.get(what) ?? 0) + 1);
        }
  }
  // Where a relay's time went: the update handled and its relay row written, then the outbox.
  const rowsWritten = rowsOf<{ body: string; created: string | Date }>(
    await db.execute(sql`
      select m.body, n.created_at as created from notifications n join messages m on m.id = n.message_id
      where n.payload ? 'live' and m.body like '%#%#%'`),
  );
  const stages = { written: [] as number[], outbox: [] as number[] };
  for (const r of rowsWritten) {
    const mark = /#[ro][^#]+#/.exec(r.body)?.[0];
    const s = mark ? sent.get(mark) : undefined;
    const hit = s && report.posted.find((p) => p.chatId === s.to && p.text?.includes(mark as string));
    if (!s || !hit) continue;
    const created = new Date(r.created).getTime();
    stages.written.push(created - s.at);
    stages.outbox.push(hit.at - created);
  }
  const all = [...latencies.toOperator, ...latencies.toRequester];
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const stats = (v: number[]) =>
    v.length
      ? `p50 ${ms(percentile(v, 0.5))}  p95 ${ms(percentile(v, 0.95))}  max ${ms(Math.max(...v))}`
      : "—";
  const [ended] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(liveChats)
    .where(eq(liveChats.state, "ended"));
  const edits = report.posted.filter((p) => p.method === "editMessageText" && p.chatId > 0).length;
  const refused = report.refused.bot + report.refused.private + report.refused.group;
  console.log(`
live chats:            ${N} requesters, ${M} operators × capacity ${values.capacity} (${values.db}), think ${THINK} ms, react ${REACT} ms
asked (all /live):     ${(askedMs / 1000).toFixed(1)} s
all talked and ended:  ${(talkedMs / 1000).toFixed(1)} s   (${ended.n}/${N} ended)
queue order:           ${rows.length} chats offered, ${violations} out of order   (target 0)
relay to operator:     ${stats(latencies.toOperator)}
relay to requester:    ${stats(latencies.toRequester)}
relay, both ways:      ${stats(all)}   (target p95 ≤ 200 ms)
  update → row written: ${stats(stages.written)}   (the bot handling the update; the row's time is its transaction's start)
  row → posted:         ${stats(stages.outbox)}   (the outbox: claim, window, call)
relays not seen:       ${missing}   (target 0)
private edits:         ${edits} (queue positions edited in place)
429 answers:           ${refused}   (bot-wide ${report.refused.bot}, private chats ${report.refused.private}, groups ${report.refused.group})`);
  if (before.size > 0) {
    console.log("posted to the chat in the 1 s before a relay slower than 200 ms:");
    for (const [what, n] of [...before].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${what}`);
  }
} finally {
  fake.disconnect();
  await drop();
}
