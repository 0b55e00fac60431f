import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { botSessions, processedUpdates, type User, users } from "../../../drizzle/schema/index.js";
import { floodTakeOf } from "../abuse/flood.js";
import { preparedPerDb } from "../prepared.js";
import {
  joinMessageFacts,
  type MessageFactsRow,
  messageFactsSelection,
} from "../tickets/message-statements.js";

/** What one update of the bot starts from (see loadUpdateState). */
export interface UpdateStateRow {
  /** This arrival's insert won the update's claim: it runs the handlers. */
  claimed: boolean;
  /** The claim an earlier arrival left is finished (null: no earlier arrival). */
  finished: boolean | null;
  /** The stored session data, as JSON (null: none). */
  session: unknown;
  /** The sender as a user, when they are one already. */
  user: User | null;
  /** Flood control's take for this message (abuse/flood.ts): refusals in a row, 0 granted; null: none taken. */
  floodRefused: number | null;
}

export interface UpdateStateParams {
  updateId: number;
  /** The process claiming the update (update-claims.ts). */
  holder: string;
  /** The session's key; null: the update has no session (no chat or no human sender). */
  key: string | null;
  telegramId: number | null;
  /**
   * Where in the session the ticket a plain message replies to is kept, as a
   * PostgreSQL text-array path ("{a,b}"); null: bring no ticket facts. A path
   * rather than a fixed field: the session's shape is the bot's.
   */
  replyTicketPath: string | null;
  /**
   * A message to the bot in private: take the sender's flood token (when they are a
   * requester) in this statement, rather than in a round trip of its own.
   */
  flood: boolean;
}

const UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

// Prepared once per database: at hundreds of updates a second, building the same SQL
// again for every update is a large share of the bot's CPU (prepared.ts).
const statement = preparedPerDb((db: Db) => {
  const updateId = sql.placeholder("updateId");
  const key = sql.placeholder("key");
  const claim = db
    .$with("claim", { id: sql<number>`update_id` })
    .as(
      sql`insert into ${processedUpdates} (update_id, claimed_by) values (${updateId}, ${sql.placeholder("holder")}) on conflict do nothing returning update_id`,
    );
  // Flood control's token, taken only by the arrival that won the claim, for a requester.
  const telegramId = sql.placeholder("telegramId");
  const flood = db.$with("flood", { refused: sql<number>`refused` }).as(
    floodTakeOf(
      sql`'flood:' || (${telegramId})::bigint::text`,
      sql`(${sql.placeholder("flood")})::boolean and exists (select 1 from ${claim})
        and exists (select 1 from ${users} where ${users.telegramId} = (${telegramId})::bigint and ${users.role} = 'requester')`,
    ),
  );
  // A plain private message most often goes into the thread the session replies to: that
  // ticket's facts come with the state, and addTicketMessage needs no read of its own.
  const path = sql`(${sql.placeholder("replyTicketPath")})::text[]`;
  const replyTo = sql`case when ${path} is not null then (select case
      when ${botSessions.data} #>> ${path} ~ ${UUID}
      then (${botSessions.data} #>> ${path})::uuid end
    from ${botSessions} where ${botSessions.key} = ${key}) end`;
  const replyFacts = messageFactsSelection(replyTo);
  // One row always (the sender may be new, or absent); the claim's insert is invisible to
  // the subqueries of the same statement, so "finished" is what an earlier arrival left.
  const query = db
    .with(claim, flood)
    .select({
      claimed: sql<boolean>`exists (select 1 from ${claim})`,
      finished: sql<
        boolean | null
      >`(select ${processedUpdates.finished} from ${processedUpdates} where ${processedUpdates.updateId} = ${updateId})`,
      session: sql<unknown>`(select ${botSessions.data} from ${botSessions} where ${botSessions.key} = ${key})`,
      user: users,
      floodRefused: sql<number | null>`(select refused from ${flood})`,
      // The claim commits without waiting for its WAL flush (this statement is its own
      // transaction, and the setting lasts until its commit): every update paid an fsync for
      // it. Safe: an update's effects commit after its claim and flush the WAL up to
      // themselves, claim included; an update with no effects lost in a crash of the machine
      // runs again when Telegram delivers it again, and has nothing to repeat but its answer.
      asyncCommit: sql<string>`set_config('synchronous_commit', 'off', true)`,
      ...replyFacts.fields,
    })
    .from(sql`(values (1)) as one`)
    .leftJoin(users, eq(users.telegramId, sql.placeholder("telegramId")))
    .$dynamic();
  return joinMessageFacts(query, replyFacts).prepare("bot_update_state");
});

/**
 * Everything an update of the bot needs before a handler runs, in one round trip:
 * its claim (each update_id takes effect once), whether an earlier arrival finished
 * it, the sender as a user, the session, and — when `replyTicketPath` is given — the
 * facts of the ticket the session replies to, ready for `addTicketMessage({ known })`
 * (read them with `messageFactsOf(ctx, row)`).
 */
export async function loadUpdateState(
  db: Db,
  params: UpdateStateParams,
): Promise<UpdateStateRow & MessageFactsRow> {
  const [row] = await statement(db).execute({ ...params });
  // drizzle cannot follow the joins joinMessageFacts adds: typed here as they are.
  return row as unknown as UpdateStateRow & MessageFactsRow;
}
