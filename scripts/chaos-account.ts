/**
 * The exact account after a chaos run, as a pure function of what was recorded:
 * what the load sent and got acknowledged, what the database holds, what the
 * send ledger says went out, and what the fake Bot API actually received. Kept
 * apart from the run so a unit test can feed it a hand-built log
 * (tests/unit/chaos-account.test.ts).
 */
import type { FakeSend } from "./chaos-telegram.js";

/** A mark is the unique token a chaos message carries in its words: `#c<number>#`. */
export const MARK = /#c\d+#/g;
export const markOf = (n: number) => `#c${n}#`;
export const marksIn = (text: string) => text.match(MARK) ?? [];

/** A ledger part Telegram answered (or a probe found): where it went and the ids it got. */
export interface LedgerPart {
  key: string;
  chatId: number;
  ids: number[];
}

export interface RunLog {
  /** Marks of messages whose update the webhook answered 200, or whose API write answered 2xx. */
  accepted: string[];
  /** The mark of every stored message row that carries one (a mark twice: stored twice). */
  stored: string[];
  ticketNumbers: string[];
  /** Outbox rows by state at the end. */
  notificationStates: Record<string, number>;
  /** Ledger parts by state at the end (intent, sent, refused, in_doubt). */
  ledgerStates: Record<string, number>;
  sentParts: LedgerPart[];
  sends: FakeSend[];
  /**
   * Marks an outbox row marked sent with a post of its own (or a merged one) must
   * show in its chat: a requester's message or staff reply (new_message), a ticket's
   * title (new_ticket). A row summed up in a digest has no post id and is not here.
   */
  expected: Array<{ chatId: number; mark: string }>;
}

export interface Account {
  acceptedMessages: number;
  storedOnce: number;
  /** Accepted, yet not in the database. */
  lostMessages: string[];
  /** In the database more than once. */
  duplicateMessages: string[];
  duplicateTicketNumbers: string[];
  /** Outbox rows still pending or sending: stuck. */
  stuck: number;
  failed: number;
  /** Ledger parts left unanswered or in doubt. */
  openParts: number;
  /** Posts that match a ledger part: notifications delivered. */
  delivered: number;
  /** Ledger parts the fake never received: recorded as sent, not delivered. */
  phantomParts: string[];
  /** Posts the ledger does not know that repeat one it does, by chat kind. */
  resentPrivate: FakeSend[];
  resentGroup: FakeSend[];
  /** Posts the ledger does not know and that repeat nothing (the bot's own answers). */
  otherPosts: number;
  /** Outbox rows marked sent whose words are in no post of their chat: lost notifications. */
  missingPosts: string[];
  /** The same chaos mark posted twice into one chat, by chat kind. */
  markTwicePrivate: string[];
  markTwiceGroup: string[];
}

const identity = (s: FakeSend) => JSON.stringify([s.chatId, s.method, s.text, s.replyTo]);

function repeated(values: string[]): string[] {
  const seen = new Map<string, number>();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([v]) => v);
}

export function accountRun(log: RunLog): Account {
  const storedCount = new Map<string, number>();
  for (const m of log.stored) storedCount.set(m, (storedCount.get(m) ?? 0) + 1);
  const accepted = [...new Set(log.accepted)];

  // Each post the fake answered, by chat and message id; a ledger part claims the ids it got.
  const byId = new Map<string, FakeSend>();
  for (const s of log.sends) for (const id of s.ids) byId.set(`${s.chatId}:${id}`, s);
  const matched = new Set<FakeSend>();
  const phantomParts: string[] = [];
  for (const part of log.sentParts) {
    const hits = part.ids.map((id) => byId.get(`${part.chatId}:${id}`)).filter((s) => s !== undefined);
    if (hits.length === 0) phantomParts.push(part.key);
    for (const s of hits) matched.add(s);
  }
  const known = new Set([...matched].map(identity));
  const unmatched = log.sends.filter((s) => !matched.has(s));
  const resent = unmatched.filter((s) => known.has(identity(s)));

  // A mark counts once per post (a merged post may carry several marks, each once).
  const pairs = (group: boolean) =>
    log.sends
      .filter((s) => s.chatId < 0 === group)
      .flatMap((s) => [...new Set(marksIn(s.text))].map((m) => `${s.chatId} ${m}`));

  const posted = new Set([...pairs(false), ...pairs(true)]);
  const missingPosts = [...new Set(log.expected.map((e) => `${e.chatId} ${e.mark}`))].filter(
    (p) => !posted.has(p),
  );

  const states = log.notificationStates;
  return {
    acceptedMessages: accepted.length,
    storedOnce: [...storedCount.values()].filter((n) => n === 1).length,
    lostMessages: accepted.filter((m) => !storedCount.has(m)),
    duplicateMessages: [...storedCount].filter(([, n]) => n > 1).map(([m]) => m),
    duplicateTicketNumbers: repeated(log.ticketNumbers),
    stuck: (states.pending ?? 0) + (states.sending ?? 0),
    failed: states.failed ?? 0,
    openParts: (log.ledgerStates.intent ?? 0) + (log.ledgerStates.in_doubt ?? 0),
    delivered: matched.size,
    phantomParts,
    resentPrivate: resent.filter((s) => s.chatId > 0),
    resentGroup: resent.filter((s) => s.chatId < 0),
    otherPosts: unmatched.length - resent.length,
    missingPosts,
    markTwicePrivate: repeated(pairs(false)),
    markTwiceGroup: repeated(pairs(true)),
  };
}

/** Whether the run kept every promise: nothing lost, nothing twice where the product promises once. */
export function accountClean(a: Account): boolean {
  return (
    a.lostMessages.length === 0 &&
    a.duplicateMessages.length === 0 &&
    a.duplicateTicketNumbers.length === 0 &&
    a.stuck === 0 &&
    a.failed === 0 &&
    a.openParts === 0 &&
    a.phantomParts.length === 0 &&
    a.missingPosts.length === 0 &&
    a.resentPrivate.length === 0 &&
    a.markTwicePrivate.length === 0
  );
}
