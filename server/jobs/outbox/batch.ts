import { and, asc, eq, gt, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { attachments, messages, type Notification, notifications } from "../../../drizzle/schema/index.js";
import { isGroupChat, type RateLimits } from "../../domain/delivery/budget.js";

/**
 * What one post carries: its own row only; the queued rows of one ticket merged
 * into it (a chat with more queued than it may receive now); or, past a backlog
 * threshold in a group, a digest of everything queued ("37 new messages in 12
 * tickets"). Carried rows are tied to the post's row (`carried_by`) when it is
 * first claimed (a digest's when it is first sent: digest-rows.ts) and marked
 * sent with it, so a retry carries exactly the same rows.
 */
export type BatchKind = "single" | "merged" | "digest";

export interface Batch {
  kind: BatchKind;
  head: Notification;
  carried: Notification[];
  /** Bot API calls the post is expected to make (its text and its files). */
  calls: number;
}

/** Rows of one ticket merged into one post at most (the text is split at Telegram's limits). */
export const MERGE_MAX = 50;
/** Rows one digest covers at most; a longer backlog gets the next digest. */
export const DIGEST_MAX = 1000;
/** A group with more queued than this many windows' worth of posts gets a digest instead. */
const DIGEST_WINDOWS = 3;
/**
 * The group's calls a post about a ticket takes: the card's edit (or a new topic)
 * and the post itself (threadCallOf). Counted in rows alone, a backlog just under
 * the threshold (60 rows in a group's 20 a minute) trickled out for six minutes,
 * not three: in bench:burst the last messages of 47 tickets, stored after the
 * digests had gone, took three minutes to reach staff one post at a time.
 */
const GROUP_CALLS_PER_POST = 2;

/** The kinds of rows that read well one after another in one post (not edits, album parts, cards, ratings). */
const MERGEABLE_TYPES = new Set(["new_message", "status_changed", "assigned", "received"]);

export function mergeable(row: Notification): boolean {
  const p = row.payload as { editOf?: unknown; albumOf?: unknown };
  return MERGEABLE_TYPES.has(row.type) && !p.editOf && !p.albumOf && row.ticketId !== null;
}

export const digestThreshold = (limits: RateLimits) =>
  Math.floor((limits.groupChat.count * DIGEST_WINDOWS) / GROUP_CALLS_PER_POST);

/**
 * Decides what the post for `head` (the chat's oldest queued row) carries, given
 * how many rows are queued (counted up to a little past the digest threshold)
 * and how many calls the chat may receive now.
 */
export async function planBatch(
  tx: Db,
  head: Notification,
  queued: number,
  roomNow: number,
  limits: RateLimits,
): Promise<Batch> {
  const kept = (head.payload as { batch?: BatchKind }).batch;
  // Its rows are gathered when it is sent, outside the claim (digest-rows.ts).
  if (kept === "digest") return await finish(tx, "digest", head, []);
  if (kept === "merged") {
    const carried = await tx
      .select()
      .from(notifications)
      .where(eq(notifications.carriedBy, head.id))
      .orderBy(notifications.seq);
    return await finish(tx, kept, head, carried);
  }
  // Claimed before as a post of its own: it stays one. Part of it may be out already
  // (a kill after Telegram's answer; a 429 on its file after its text went), and the
  // ledger replays what went; rows merged into it now would be marked sent with a
  // message that never held them (tests/jobs/outbox-retry-single.test.ts). The kind is
  // kept in the payload, not read from `attempts`: a 429 and an admin's retry lower those.
  if (kept === "single") return await finish(tx, "single", head, []);
  const group = isGroupChat(head.chatId);
  const over = queued > Math.max(1, roomNow);
  // A report file (payload.document) is a post of its own: never summed up in a digest.
  if (group && queued > digestThreshold(limits) && !carriesDocument(head))
    return await finish(tx, "digest", head, []);
  if (over && group && head.type !== "new_ticket") {
    // New tickets first: a card is what staff act on.
    const [card] = await queuedOf(
      tx,
      head.chatId,
      and(eq(notifications.type, "new_ticket"), sql`${notifications.nextAttemptAt} <= now()`),
      1,
    );
    if (card) return await finish(tx, "single", card, []);
  }
  if (!over || !mergeable(head)) return await finish(tx, "single", head, []);
  const sameTicket = await queuedOf(
    tx,
    head.chatId,
    and(eq(notifications.ticketId, head.ticketId as string), gt(notifications.seq, head.seq)),
    MERGE_MAX - 1,
  );
  // Up to the first row that does not merge (an edit of one of them, a later album part):
  // it goes after the post, in its turn.
  const carried: Notification[] = [];
  for (const row of sameTicket) {
    if (!mergeable(row) || row.nextAttemptAt.getTime() > Date.now() + 1000) break;
    carried.push(row);
  }
  return await finish(tx, carried.length > 0 ? "merged" : "single", head, carried);
}

/** A report file the row carries (server/domain/report-delivery/queue.ts). */
const carriesDocument = (row: Notification) => "document" in (row.payload as object);

/**
 * The rows a post may carry: queued for the chat and carried by no post yet. A row
 * claimed before as a post of its own (its kind kept in the payload) is never
 * carried by another: part of it may be out, and its own rows tied to it (a post an
 * admin put back, a 429's retry) would be left behind.
 */
const carriable = (chatId: number) =>
  and(
    eq(notifications.chatId, chatId),
    eq(notifications.state, "pending"),
    isNull(notifications.carriedBy),
    sql`(${notifications.payload} -> 'batch') is null`,
  );

/** The rows a digest posted for `head` sums up: any ticket's, after it; report files go on their own. */
export const digestable = (head: Notification) =>
  and(
    carriable(head.chatId),
    gt(notifications.seq, head.seq),
    sql`(${notifications.payload} -> 'document') is null`,
  );

/** A chat's rows a post may carry that match `where`, oldest first. */
async function queuedOf(tx: Db, chatId: number, where: SQL | undefined, max: number) {
  return tx
    .select()
    .from(notifications)
    .where(and(carriable(chatId), where))
    .orderBy(notifications.seq)
    .limit(max);
}

async function finish(tx: Db, kind: BatchKind, head: Notification, carried: Notification[]): Promise<Batch> {
  if (kind === "digest") return { kind, head, carried, calls: 1 };
  const calls = kind === "merged" ? await mergedCalls(tx, [head, ...carried]) : callsOf(head);
  return { kind, head, carried, calls: calls + threadCallOf(head) };
}

/** A rendered row's text beyond its message's body (time, ticket line, author): generous. */
const ROW_FRAME_CHARS = 300;
const TEXT_MAX = 4096;

/**
 * The calls a merged post makes (bot/delivery/merge.ts): its text, split where a
 * message is full, then its files in the sends Telegram takes them in.
 */
async function mergedCalls(tx: Db, rows: Notification[]): Promise<number> {
  const fileIds = rows.flatMap(fileIdsOf);
  const files = fileIds.length
    ? await tx
        .select({ kind: attachments.kind })
        .from(attachments)
        .where(inArray(attachments.id, fileIds))
        .orderBy(asc(attachments.seq))
    : [];
  const messageIds = rows.flatMap((r) => {
    const id = (r.payload as { change?: { messageId?: string } }).change?.messageId;
    return id ? [id] : [];
  });
  const [{ chars }] = messageIds.length
    ? await tx
        .select({ chars: sql<number>`coalesce(sum(length(${messages.body})), 0)::int` })
        .from(messages)
        .where(inArray(messages.id, messageIds))
    : [{ chars: 0 }];
  const texts = Math.max(1, Math.ceil((Number(chars) + rows.length * ROW_FRAME_CHARS) / TEXT_MAX));
  // Each file is a message Telegram counts, albums too (as callsOf counts them, and the
  // Bot API seam spends them: bot/call-budget.ts, countedCalls).
  return texts + files.length;
}

function fileIdsOf(row: Notification): string[] {
  const p = row.payload as { albumFiles?: string[]; change?: { kind?: string; fileIds?: string[] } };
  if (p.albumFiles) return p.albumFiles;
  return p.change?.kind === "message" || p.change?.kind === "created" ? (p.change.fileIds ?? []) : [];
}

/**
 * One call more for a staff chat's post about a ticket: in a plain group the card
 * is edited before the post under it whenever it shows something new (most
 * posts), in a forum a new ticket opens its topic. Reserved with the post, so the
 * post never waits for room again halfway (it did, for up to a minute in a
 * group's window of 20, and went past Telegram's limit after 20 s); the place is
 * given back when the call was not needed (settleReservation's `unused`).
 */
function threadCallOf(head: Notification): number {
  const p = head.payload as { editOf?: string; albumOf?: string };
  return isGroupChat(head.chatId) &&
    head.recipientId === null &&
    head.ticketId !== null &&
    !p.editOf &&
    !p.albumOf
    ? 1
    : 0;
}

/**
 * The Bot API calls a row makes, as the budget counts them: its text, then each
 * of its files; an album's later files alone; an edit one call. (The card edit
 * or new topic of a staff chat's post is threadCallOf's.)
 */
export function callsOf(row: Notification): number {
  const p = row.payload as { editOf?: string; albumFiles?: string[] };
  if (p.editOf) return 1;
  if (p.albumFiles) return Math.max(1, p.albumFiles.length);
  return 1 + fileIdsOf(row).length;
}
