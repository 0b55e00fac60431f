import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../drizzle/client.js";
import { messages, notifications } from "../drizzle/schema/index.js";
import type { Report } from "./fake-telegram-process.js";

/** The words a burst message carries: a mark no other message's mark is a part of. */
export const markOf = (user: number, k: number) => `#u${user}-m${k}#`;

/** How far the burst is: staff-chat rows of requester messages, and everything still queued. */
export async function progress(db: Db, staffChat: number) {
  const [row] = await db
    .select({
      rows: sql<number>`count(*) filter (where ${notifications.chatId} = ${staffChat} and ${notifications.type} = 'new_message')::int`,
      visible: sql<number>`count(*) filter (where ${notifications.chatId} = ${staffChat} and ${notifications.type} = 'new_message' and ${notifications.state} = 'sent')::int`,
      queued: sql<number>`count(*) filter (where ${notifications.state} in ('pending', 'sending'))::int`,
    })
    .from(notifications);
  return { rows: Number(row.rows), visible: Number(row.visible), queued: Number(row.queued) };
}

/** Samples the API's answer time and the process's RSS until stopped. */
export function startSamplers(request: () => Promise<void>) {
  let peak = process.memoryUsage();
  const rss = setInterval(() => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  }, 100);
  let running = true;
  const times: number[] = [];
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await request();
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      clearInterval(rss);
      return { times, peakRss: peak.rss, peak };
    },
  };
}

export const percentile = (values: number[], q: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/**
 * What staff and requesters got, from the database (each message's staff-chat
 * row) and from what the fake Bot API posted after `since`.
 */
export async function outcome(
  db: Db,
  report: Report,
  opts: { staffChat: number; since: number; requesterChats: number[]; marks: string[] },
) {
  const { staffChat, since } = opts;
  const posted = report.posted.filter((p) => p.at >= since);
  const staffPosts = posted.filter((p) => p.chatId === staffChat && !p.method.startsWith("edit"));
  const staffEdits = posted.filter((p) => p.chatId === staffChat && p.method.startsWith("edit"));
  const holding = new Map(opts.marks.map((m) => [m, 0]));
  for (const p of staffPosts)
    for (const m of p.text?.match(/#u\d+-m\d+#/g) ?? []) holding.set(m, (holding.get(m) ?? 0) + 1);
  const duplicates = [...holding.values()].filter((n) => n > 1).length;
  // Each requester message and its staff-chat row (none: the message never got one).
  const rows = await db
    .select({
      body: messages.body,
      state: notifications.state,
      sentMessageId: notifications.sentMessageId,
      sentAt: notifications.sentAt,
    })
    .from(messages)
    .leftJoin(
      notifications,
      and(eq(notifications.messageId, messages.id), eq(notifications.chatId, staffChat)),
    )
    .where(sql`${messages.body} like '%#u%-m%#%'`);
  const stored = rows.length;
  const sent = rows.filter((r) => r.state === "sent");
  const markIn = (body: string) => /#u\d+-m\d+#/.exec(body)?.[0] ?? "";
  const digested = sent.filter((r) => r.sentMessageId === null && holding.get(markIn(r.body)) === 0).length;
  // Marked sent with a message id, yet its words are in no staff post: a lie, if any.
  const unseen = sent.filter((r) => r.sentMessageId !== null && holding.get(markIn(r.body)) === 0).length;
  const firstAnswer = new Map<number, number>();
  for (const p of posted)
    if (p.chatId > 0 && !firstAnswer.has(p.chatId)) firstAnswer.set(p.chatId, p.at - since);
  const latencies = opts.requesterChats.flatMap((c) => (firstAnswer.has(c) ? [firstAnswer.get(c)!] : []));
  const lastSent = Math.max(...sent.map((r) => r.sentAt?.getTime() ?? 0));
  return {
    /** When the last message became visible to staff, from the burst's start (ms). */
    allVisibleMs: sent.length === opts.marks.length ? lastSent - since : null,
    staffPosts: staffPosts.length,
    staffEdits: staffEdits.length,
    mergedPosts: staffPosts.filter((p) => (p.text?.match(/#u\d+-m\d+#/g) ?? []).length > 1).length,
    stored,
    visible: sent.length,
    inOwnOrMergedPost: [...holding.values()].filter((n) => n > 0).length,
    digested,
    unseen,
    lost: opts.marks.length - sent.length,
    duplicates,
    answered: latencies.length,
    unanswered: opts.requesterChats.length - latencies.length,
    answerPosts: posted.filter((p) => p.chatId > 0).length,
    answerP50: percentile(latencies, 0.5),
    answerP99: percentile(latencies, 0.99),
  };
}
