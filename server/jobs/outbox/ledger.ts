import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../drizzle/client.js";
import { type Notification, type SendLedgerRow, sendLedger } from "../../../drizzle/schema/index.js";
import { DeliveryError } from "../../domain/delivery/port.js";
import { untilPrepaidPlace } from "../../domain/delivery/prepaid.js";
import type { PartSender, Probe, SendCall } from "../../domain/delivery/send-scope.js";
import { reconcilePart } from "./reconcile.js";

export interface LedgerOptions {
  /**
   * An unanswered part younger than this is not probed yet (the delivery is put
   * off as transient): a request that timed out may still be on its way through
   * Telegram, and a probe that looks too early would find nothing and send again.
   */
  settleMs?: number;
  /** Test hook: Telegram answered a part, nothing is written yet (the crash test kills the process here). */
  answered?: (part: { key: string; chatId: number; method: string }) => void;
}

const DEFAULT_SETTLE_MS = 5000;
type Part = SendLedgerRow & { ageMs: number };

/**
 * The sender for one delivery of one outbox row: every message-sending Bot API
 * call of the delivery is a numbered part (`<notification id>:<n>`, in the order
 * the deliverer makes them). Before the call the intent is written with the
 * chat's last known message id; after Telegram's answer, the answer. A delivery
 * tried again (after a failure, a crash, a lost record) replays the parts already
 * answered instead of sending them, and asks Telegram about a part whose answer
 * was lost (reconcile.ts) before deciding to send it. Costs one read per
 * delivery and two writes per sent message (the intent, the answer).
 */
export function createLedgerSender(db: Db, row: Notification, opts: LedgerOptions = {}): PartSender {
  const settleMs = opts.settleMs ?? DEFAULT_SETTLE_MS;
  let known: Promise<Map<number, Part>> | null = null;
  /** Parts this delivery has gone through, and the next index a new part may take. */
  const used = new Set<number>();
  let free = 0;
  let answeredAt: number | undefined;
  return {
    get answeredAt() {
      return answeredAt;
    },
    async send<T>(call: SendCall, request: () => Promise<T>, probe: Probe): Promise<T> {
      known ??= loadParts(db, row.id);
      const parts = await known;
      const prior = matchPart(parts, used, call);
      while (parts.has(free) || used.has(free)) free++;
      const part = prior?.part ?? free;
      used.add(part);
      const key = `${row.id}:${part}`;
      if (prior?.state === "sent") return prior.result as T;
      if (prior?.state === "intent") {
        const replay = await settle<T>(db, prior, probe, settleMs);
        if (replay !== undefined) return replay;
      }
      // New, not arrived, refused by Telegram earlier (nothing arrived), or put back in
      // the queue by an admin after it was in doubt (a decision to send it): send.
      await writeIntent(db, key, row.id, part, call);
      // A place the claim took ahead in the bot-wide window: the call goes when it is free.
      // Here, in the outbox's own sender, so no deliverer can skip it (the call budget's
      // seam waits too, for calls outside the ledger).
      await untilPrepaidPlace();
      let result: T;
      try {
        result = await request();
      } catch (err) {
        // An answer from Telegram (429, 403, 400) means nothing was posted. A timeout,
        // network error or 5xx leaves the intent open: the next attempt probes.
        if (err instanceof DeliveryError && err.kind !== "transient")
          await markPart(db, key, "refused", err.message).catch(() => {});
        throw err;
      }
      answeredAt = performance.now();
      opts.answered?.({ key, chatId: call.chatId, method: call.method });
      await writeAnswer(db, key, result);
      return result;
    },
  };
}

/**
 * The recorded part a call is: the first one not yet gone through with the same
 * parameters (a deliverer that skips a step it knows is done, such as the text of
 * a message whose files failed, shifts the order), else the first one with the
 * same method (the same message rendered anew: a title changed in between).
 * None: a new part.
 */
function matchPart(parts: Map<number, Part>, used: Set<number>, call: SendCall): Part | undefined {
  const open = [...parts.values()].filter((p) => !used.has(p.part)).sort((a, b) => a.part - b.part);
  const fp = fingerprint(call);
  return open.find((p) => p.fingerprint === fp) ?? open.find((p) => p.method === call.method);
}

/**
 * An intent whose answer was lost: probes Telegram. Delivered → the answer is
 * written and replayed; not delivered → undefined (send it); undecided → the
 * part is marked in doubt and the delivery fails with kind "in_doubt".
 */
async function settle<T>(db: Db, part: Part, probe: Probe, settleMs: number): Promise<T | undefined> {
  // Only a private chat is probed (reconcile.ts); a group's part is sent again at once.
  if (part.chatId > 0 && part.ageMs < settleMs)
    throw new DeliveryError(
      "transient",
      `part ${part.part} was sent ${Math.round(part.ageMs)} ms ago: waiting to probe`,
    );
  const verdict = await reconcilePart(
    { chatId: part.chatId, afterMessageId: part.afterMessageId, markup: part.markup },
    probe,
  );
  if (verdict.kind === "not_delivered") return undefined;
  if (verdict.kind === "in_doubt") {
    await markPart(db, part.key, "in_doubt", verdict.reason);
    throw new DeliveryError("in_doubt", `in doubt whether part ${part.part} arrived: ${verdict.reason}`);
  }
  // Telegram's answer is gone; what the probe proves is where the message is.
  const ids = Array.from({ length: part.messageCount }, (_, i) => verdict.messageId + i);
  const chat = { id: part.chatId };
  const result =
    part.method === "sendMediaGroup" || part.method.endsWith("Messages")
      ? ids.map((message_id) => ({ message_id, chat }))
      : { message_id: verdict.messageId, chat };
  await writeAnswer(db, part.key, result);
  return result as T;
}

async function loadParts(db: Db, notificationId: string): Promise<Map<number, Part>> {
  const rows = await db
    .select({
      row: sendLedger,
      ageMs: sql<number>`(extract(epoch from now() - ${sendLedger.createdAt}) * 1000)::float8`,
    })
    .from(sendLedger)
    .where(eq(sendLedger.notificationId, notificationId));
  return new Map(rows.map(({ row, ageMs }) => [row.part, { ...row, ageMs: Number(ageMs) }]));
}

/**
 * The intent, with the chat's highest message id known now: from the ledger, and
 * from outbox rows sent before the ledger existed. A part sent anew is written over.
 */
async function writeIntent(db: Db, key: string, notificationId: string, part: number, call: SendCall) {
  const markup = (call.params.reply_markup as unknown) ?? null;
  await db.execute(sql`
    insert into send_ledger (key, notification_id, part, chat_id, method, fingerprint, markup, message_count, after_message_id)
    values (${key}, ${notificationId}, ${part}, ${call.chatId}, ${call.method}, ${fingerprint(call)},
      ${markup === null ? null : JSON.stringify(markup)}::jsonb, ${messageCount(call)},
      (select greatest(
        (select max(last_message_id) from send_ledger where chat_id = ${call.chatId}),
        (select max(sent_message_id) from notifications where chat_id = ${call.chatId}))))
    on conflict (key) do update set
      method = excluded.method, fingerprint = excluded.fingerprint, markup = excluded.markup,
      message_count = excluded.message_count, after_message_id = excluded.after_message_id,
      state = 'intent', result = null, last_message_id = null, error = null,
      created_at = now(), answered_at = null`);
}

/** The answer (raw SQL: it runs for every message sent, and drizzle's builder costs more CPU than the update). */
async function writeAnswer(db: Db, key: string, result: unknown) {
  const ids = (Array.isArray(result) ? result : [result])
    .map((m) => (m as { message_id?: unknown })?.message_id)
    .filter((id): id is number => typeof id === "number");
  const last = ids.length > 0 ? Math.max(...ids) : null;
  await db.execute(sql`
    update send_ledger set state = 'sent', result = ${JSON.stringify(result ?? null)}::jsonb,
      last_message_id = ${last}, error = null, answered_at = now()
    where key = ${key}`);
}

async function markPart(db: Db, key: string, state: "refused" | "in_doubt", error: string) {
  await db
    .update(sendLedger)
    .set({ state, error: error.slice(0, 500) })
    .where(eq(sendLedger.key, key));
}

function messageCount(call: SendCall): number {
  const many = call.params.media ?? call.params.message_ids;
  return Array.isArray(many) ? many.length : 1;
}

/** sha256 over the call's parameters (uploaded bytes included), key order ignored. */
export function fingerprint(call: SendCall): string {
  const hash = createHash("sha256").update(call.method);
  const feed = (v: unknown): void => {
    if (v === null || v === undefined) hash.update("∅");
    else if (v instanceof Uint8Array) hash.update(v);
    else if (Array.isArray(v)) {
      hash.update("[");
      for (const x of v) feed(x);
      hash.update("]");
    } else if (typeof v === "object") {
      for (const k of Object.keys(v).sort()) {
        hash.update(`{${k}:`);
        feed((v as Record<string, unknown>)[k]);
      }
    } else hash.update(`${typeof v}:${String(v)}`);
  };
  feed(call.params);
  return hash.digest("hex");
}

/** Whether any message of the post went out, or may have: a part answered, unanswered or in doubt in the ledger. */
export async function partlyOut(tx: DbOrTx, notificationId: string): Promise<boolean> {
  const [part] = await tx
    .select({ part: sendLedger.part })
    .from(sendLedger)
    .where(
      and(
        eq(sendLedger.notificationId, notificationId),
        inArray(sendLedger.state, ["sent", "intent", "in_doubt"]),
      ),
    )
    .limit(1);
  return part !== undefined;
}
