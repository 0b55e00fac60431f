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
import { markBotBlocked } from "../../server/domain/users/reachability.js";
import { upsertTelegramUser } from "../../server/domain/users/upsert.js";
import type { BotContext } from "../context.js";
import type { ProcessedUpdates } from "../processed-updates.js";
import { parseSession, sessionKey } from "../session.js";

/**
 * What every update needs before a handler runs, read in one round trip:
 *
 * - dedupe: each update_id takes effect once, even when Telegram delivers it
 *   again (a webhook retry, a restart before the poll offset was confirmed). The
 *   id is recorded after the handlers ran, also when they failed with an answer,
 *   so a crash half-way lets the redelivery finish the work instead of losing
 *   it; the verbs that store Telegram messages are idempotent for the overlap.
 *   The records are written in batches (`ProcessedUpdates`).
 * - actor: the Telegram sender becomes our user (created on first contact, names
 *   kept fresh), with their language and the domain context every verb needs.
 *   Updates without a human sender (channel posts, other bots) stop here.
 * - session: the conversation state of this user in this chat, written back
 *   after the handlers when it changed.
 *
 * The statements are prepared once: at hundreds of updates a second, building
 * the same SQL again for every update is a large share of the bot's CPU.
 */
export function updateState(deps: {
  db: Db;
  i18n: i18n;
  contexts: ContextFactory;
  defaultLanguage: Language;
  processed: ProcessedUpdates;
}): Middleware<BotContext> {
  const { db } = deps;
  const load = db
    .select({
      seen: sql<boolean>`exists (select 1 from ${processedUpdates} where ${processedUpdates.updateId} = ${sql.placeholder("updateId")})`,
      session: sql<unknown>`(select ${botSessions.data} from ${botSessions} where ${botSessions.key} = ${sql.placeholder("key")})`,
      user: users,
    })
    .from(users)
    .where(eq(users.telegramId, sql.placeholder("telegramId")))
    .prepare("bot_update_state");
  const seenBefore = db
    .select({ id: processedUpdates.updateId })
    .from(processedUpdates)
    .where(eq(processedUpdates.updateId, sql.placeholder("updateId")))
    .prepare("bot_update_seen");
  const loadSession = db
    .select({ data: botSessions.data })
    .from(botSessions)
    .where(eq(botSessions.key, sql.placeholder("key")))
    .prepare("bot_session_load");

  return async (ctx, next) => {
    const updateId = ctx.update.update_id;
    if (deps.processed.pending(updateId)) return;
    const from = ctx.from && !ctx.from.is_bot ? ctx.from : undefined;
    const key = from && ctx.chat ? sessionKey(ctx.chat.id, from.id) : null;
    // A known sender: everything in one query. Unknown (first contact) or no sender: step by step.
    const [known] = from ? await load.execute({ updateId, key, telegramId: from.id }) : [];
    const seen = known ? known.seen : (await seenBefore.execute({ updateId })).length > 0;
    if (seen) return;
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
        (known?.user as User | undefined) ?? null,
      );
      ctx.lang = ctx.user.language;
      ctx.i18n = deps.i18n;
      ctx.t = deps.i18n.getFixedT(ctx.lang, "bot");
      ctx.svc = deps.contexts.forUser(ctx.user);
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
      deps.processed.mark(updateId);
    }
  };
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
