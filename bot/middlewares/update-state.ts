import { eq, sql } from "drizzle-orm";
import type { i18n } from "i18next";
import type { Middleware } from "telegraf";
import type { Db } from "../../drizzle/client.js";
import {
  botSessions,
  type Language,
  processedUpdates,
  type User,
  users,
} from "../../drizzle/schema/index.js";
import type { ContextFactory } from "../../server/domain/build-context.js";
import {
  joinMessageFacts,
  messageFactsOf,
  messageFactsSelection,
  withFactsTyped,
} from "../../server/domain/index.js";
import { markBotBlocked } from "../../server/domain/users/reachability.js";
import { upsertTelegramUser } from "../../server/domain/users/upsert.js";
import type { BotContext } from "../context.js";
import { parseSession, sessionKey } from "../session.js";
import type { UpdateClaims } from "../update-claims.js";

/**
 * What every update needs before a handler runs, in one round trip:
 *
 * - its claim (bot/update-claims.ts): each update_id takes effect once, even
 *   when Telegram delivers it again or two instances get it at once. Another
 *   arrival does nothing, waits for the holder, takes over a dead one's claim,
 *   or defers the update; the claim is finished after the handlers ran, also
 *   when they failed with an answer.
 * - actor: the Telegram sender becomes our user (created on first contact, names
 *   kept fresh), with their language and the domain context every verb needs.
 *   Updates without a human sender (channel posts, other bots) stop here.
 * - session: the conversation state of this user in this chat, written back
 *   after the handlers when it changed.
 * - for a plain private message: the facts of the ticket the session replies
 *   to (ctx.replyFacts), which addTicketMessage would otherwise read itself.
 *
 * The statement is prepared once: at hundreds of updates a second, building
 * the same SQL again for every update is a large share of the bot's CPU.
 */
export function updateState(deps: {
  db: Db;
  i18n: i18n;
  contexts: ContextFactory;
  defaultLanguage: Language;
  claims: UpdateClaims;
}): Middleware<BotContext> {
  const { db } = deps;
  const updateId = sql.placeholder("updateId");
  const claim = db
    .$with("claim", { id: sql<number>`update_id` })
    .as(
      sql`insert into ${processedUpdates} (update_id, claimed_by) values (${updateId}, ${deps.claims.holder}) on conflict do nothing returning update_id`,
    );
  // A plain private message most often goes into the thread the session replies to: that
  // ticket's facts come with the state, and addTicketMessage needs no read of its own.
  const replyTo = sql`case when ${sql.placeholder("prefetch")}::boolean then (select case
      when ${botSessions.data}->>'replyTo' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      then (${botSessions.data}->>'replyTo')::uuid end
    from ${botSessions} where ${botSessions.key} = ${sql.placeholder("key")}) end`;
  const replyFacts = messageFactsSelection(replyTo);
  // One row always (the sender may be new, or absent); the claim's insert is invisible to
  // the subqueries of the same statement, so "finished" is what an earlier arrival left.
  const loadQuery = db
    .with(claim)
    .select({
      claimed: sql<boolean>`exists (select 1 from ${claim})`,
      finished: sql<
        boolean | null
      >`(select ${processedUpdates.finished} from ${processedUpdates} where ${processedUpdates.updateId} = ${updateId})`,
      session: sql<unknown>`(select ${botSessions.data} from ${botSessions} where ${botSessions.key} = ${sql.placeholder("key")})`,
      user: users,
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
  const load = joinMessageFacts(loadQuery, replyFacts).prepare("bot_update_state");
  const loadSession = db
    .select({ data: botSessions.data })
    .from(botSessions)
    .where(eq(botSessions.key, sql.placeholder("key")))
    .prepare("bot_session_load");

  return async (ctx, next) => {
    const updateId = ctx.update.update_id;
    if (deps.claims.finishedHere(updateId)) return;
    const from = ctx.from && !ctx.from.is_bot ? ctx.from : undefined;
    const key = from && ctx.chat ? sessionKey(ctx.chat.id, from.id) : null;
    const prefetch = key !== null && isPlainPrivateMessage(ctx);
    const [state] = await load.execute({ updateId, key, telegramId: from?.id ?? null, prefetch });
    let known: { user: User | null; session: unknown } | undefined = state;
    if (!state.claimed) {
      if (state.finished) return;
      // Claimed by another arrival (or left by a dead process): see update-claims.ts.
      if ((await deps.claims.settle(updateId)) !== "taken") return;
      known = undefined; // read afresh below: the sender and session may have changed meanwhile
    }
    try {
      if (!from) return;
      ctx.user = await upsertTelegramUser(
        db,
        {
          telegramId: from.id,
          username: from.username,
          firstName: from.first_name,
          lastName: from.last_name,
          languageCode: from.language_code,
        },
        { language: deps.defaultLanguage },
        known?.user ?? null,
      );
      ctx.lang = ctx.user.language;
      ctx.i18n = deps.i18n;
      ctx.t = deps.i18n.getFixedT(ctx.lang, "bot");
      ctx.svc = deps.contexts.forUser(ctx.user);
      ctx.replyFacts = known ? messageFactsOf(ctx.svc, withFactsTyped(state)) : null;
      // Someone writing to the bot in private can be reached, whatever we noted before (a
      // 403 "can't initiate conversation" before their first /start, a block since lifted).
      // Membership updates say so themselves and are left to their handler.
      if (ctx.user.botBlocked && ctx.chat?.type === "private" && !ctx.myChatMember) {
        await markBotBlocked({ ctx: ctx.svc, input: { telegramId: from.id, blocked: false } });
        ctx.user = { ...ctx.user, botBlocked: false };
      }
      if (!key) return await next();
      const stored = known ? known.session : (await loadSession.execute({ key }))[0]?.data;
      ctx.session = parseSession(stored);
      const before = JSON.stringify(ctx.session);
      await next();
      await saveSession(db, key, before, ctx.session);
    } finally {
      deps.claims.finish(updateId);
    }
  };
}

/** A private message that is no command: what may go into the session's reply thread. */
function isPlainPrivateMessage(ctx: BotContext): boolean {
  const message = ctx.message;
  if (!message || ctx.chat?.type !== "private") return false;
  return !("text" in message && message.text.startsWith("/"));
}

async function saveSession(db: Db, key: string, before: string, session: BotContext["session"]) {
  const after = JSON.stringify(session);
  if (after === before) return;
  if (after === "{}") {
    await db.delete(botSessions).where(eq(botSessions.key, key));
    return;
  }
  await db
    .insert(botSessions)
    .values({ key, data: session })
    .onConflictDoUpdate({ target: botSessions.key, set: { data: session, updatedAt: sql`now()` } });
}
