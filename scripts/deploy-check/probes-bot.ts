import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { sql } from "drizzle-orm";
import type { Db } from "../../drizzle/client.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import type { ProxyClient } from "./client.js";
import type { SeenCall } from "./fake-telegram.js";

/**
 * The bot's side through the proxy: Telegram posting updates to the webhook (with
 * its secret header), each acknowledged by a 200 and handled once, the bot's
 * answers reaching the fake Bot API (directly, or in the webhook answer that
 * "Telegram" — this script — then makes).
 */
export interface BotWorld {
  client: ProxyClient;
  db: Db;
  fake: ChildProcess;
  secret: string;
  requesters: TgUser[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every call the fake Bot API has answered so far. */
export async function fakeCalls(fake: ChildProcess): Promise<SeenCall[]> {
  fake.send("calls");
  const [reply] = (await once(fake, "message")) as [{ calls?: SeenCall[] }];
  return reply.calls ?? fakeCalls(fake);
}

/** One delivery of an update, as Telegram makes it: the status, and a JSON answer handed to the fake. */
export async function postUpdate(w: BotWorld, update: object, secret = w.secret): Promise<number> {
  const res = await w.client
    .request("POST", "/telegram/webhook", {
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    })
    .catch(() => null);
  if (res?.status === 200 && String(res.headers["content-type"]).includes("application/json"))
    w.fake.send({ answers: [res.text] });
  return res?.status ?? 0;
}

/**
 * Sends `count` requester messages (each with a unique mark) through the proxy,
 * `parallel` at a time. Statuses other than 200 are counted, then the update is
 * delivered again, as Telegram does, until it gets a 200 or a minute has passed
 * (Telegram keeps trying for much longer): one still without a 200 then is listed
 * in `unanswered`, apart from the account of what was stored. Before, it gave up
 * after 20 tries (about 6 s), and a proxy answering 503 for that long made an
 * update look lost that Telegram would have delivered again.
 */
export async function sendMarkedMessages(
  w: BotWorld,
  marks: string[],
  parallel: number,
  onAck?: (acked: number) => void,
) {
  const notOk: number[] = [];
  const unanswered: string[] = [];
  let next = 0;
  let acked = 0;
  const worker = async () => {
    while (next < marks.length) {
      const i = next++;
      const update = updates.text(w.requesters[i % w.requesters.length], `Deploy check ${marks[i]}`);
      const giveUpAt = Date.now() + 60_000;
      for (let wait = 300; ; wait = Math.min(2000, wait * 2)) {
        const status = await postUpdate(w, update);
        if (status === 200) break;
        notOk.push(status);
        if (Date.now() > giveUpAt) {
          unanswered.push(marks[i]);
          break;
        }
        await sleep(wait);
      }
      onAck?.(++acked);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { notOk, unanswered };
}

/** How many times each mark is stored as a ticket message (the account: each exactly once). */
export async function storedCounts(db: Db, marks: string[]): Promise<Map<string, number>> {
  const rows = (await db.execute(
    sql`select body from messages where body like ${"%Deploy check #%"}`,
  )) as unknown as Array<{ body: string }>;
  const counts = new Map(marks.map((m) => [m, 0]));
  for (const { body } of rows) {
    const mark = /#[a-z]+\d+#/.exec(body)?.[0];
    if (mark && counts.has(mark)) counts.set(mark, (counts.get(mark) ?? 0) + 1);
  }
  return counts;
}

/** Marks not stored exactly once, with their counts (empty: the account is exact). */
export const badMarks = (counts: Map<string, number>) => [...counts].filter(([, n]) => n !== 1);

/**
 * `/help` from `n` people new to the bot, through the proxy: each must get exactly
 * one answer at the fake Bot API (however it went: a call of its own, or a webhook answer).
 */
export async function helpAnswers(w: BotWorld, firstId: number, n: number) {
  const people = Array.from({ length: n }, (_, i) => tgUser(firstId + i, "en"));
  const statuses = await Promise.all(people.map((p) => postUpdate(w, updates.text(p, "/help"))));
  const answersOf = async () => {
    const calls = await fakeCalls(w.fake);
    return people.map((p) => calls.filter((c) => c.method === "sendMessage" && c.chatId === p.id).length);
  };
  let answers = await answersOf();
  for (let i = 0; i < 50 && answers.some((a) => a === 0); i++) {
    await sleep(200);
    answers = await answersOf();
  }
  return { statuses, answers };
}

/** The sum of a counter's samples in a Prometheus text page. */
export function counterSum(page: string, name: string): number {
  let sum = 0;
  for (const line of page.split("\n"))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(" ").pop());
  return sum;
}

/** Bot updates each instance has handled so far, read from its own /metrics (loopback, no proxy). */
export async function updatesPerInstance(ports: number[]): Promise<number[]> {
  return Promise.all(
    ports.map(async (port) => {
      const page = await fetch(`http://127.0.0.1:${port}/metrics`)
        .then((r) => (r.ok ? r.text() : ""))
        .catch(() => "");
      return counterSum(page, "helpdesk_bot_updates_total");
    }),
  );
}
