import type { i18n } from "i18next";
import type { Middleware } from "telegraf";
import {
  type ContextFactory,
  type Db,
  isDatabaseUnavailable,
  type Language,
  loadBotSession,
  loadUpdateState,
  markBotBlocked,
  messageFactsOf,
  saveBotSession,
  type User,
  upsertTelegramUser,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { compactSession, parseSession, REPLY_TICKET_PATH, sessionKey } from "../session.js";
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
 * The statement is the domain's (loadUpdateState), prepared once per database.
 */
export function updateState(deps: {
  db: Db;
  i18n: i18n;
  contexts: ContextFactory;
  defaultLanguage: Language;
  claims: UpdateClaims;
}): Middleware<BotContext> {
  const { db } = deps;
  return async (ctx, next) => {
    const updateId = ctx.update.update_id;
    if (deps.claims.finishedHere(updateId)) return;
    const from = ctx.from && !ctx.from.is_bot ? ctx.from : undefined;
    const key = from && ctx.chat ? sessionKey(ctx.chat.id, from.id) : null;
    // A plain private message most often goes into the thread the session replies to: that
    // ticket's facts come with the state, and addTicketMessage needs no read of its own.
    const prefetch = key !== null && isPlainPrivateMessage(ctx);
    const state = await loadUpdateState(db, {
      updateId,
      holder: deps.claims.holder,
      key,
      telegramId: from?.id ?? null,
      replyTicketPath: prefetch ? REPLY_TICKET_PATH : null,
      flood: key !== null && ctx.chat?.type === "private" && Boolean(ctx.message ?? ctx.editedMessage),
    }).catch(async (err) => {
      // Nothing claimed, nothing kept: Telegram is to deliver it again (update-claims.ts).
      if (isDatabaseUnavailable(err)) await deps.claims.abandon(updateId);
      throw err;
    });
    let known: { user: User | null; session: unknown } | undefined = state;
    if (!state.claimed) {
      if (state.finished) return;
      // Claimed by another arrival (or left by a dead process): see update-claims.ts.
      if ((await deps.claims.settle(updateId)) !== "taken") return;
      known = undefined; // read afresh below: the sender and session may have changed meanwhile
    }
    let abandoned = false;
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
      ctx.replyFacts = known ? messageFactsOf(ctx.svc, state) : null;
      ctx.floodRefused = known ? state.floodRefused : null;
      // Someone writing to the bot in private can be reached, whatever we noted before (a
      // 403 "can't initiate conversation" before their first /start, a block since lifted).
      // Membership updates say so themselves and are left to their handler.
      if (ctx.user.botBlocked && ctx.chat?.type === "private" && !ctx.myChatMember) {
        await markBotBlocked({ ctx: ctx.svc, input: { telegramId: from.id, blocked: false } });
        ctx.user = { ...ctx.user, botBlocked: false };
      }
      if (!key) return await next();
      const stored = known ? known.session : await loadBotSession(db, key);
      ctx.session = parseSession(stored);
      const before = canonicalJson(ctx.session);
      await next();
      await saveSession(db, key, before, ctx.session);
    } catch (err) {
      // The database went away mid-way: whatever the handlers did not commit is to be
      // done again when Telegram delivers the update again, not counted as done.
      if (isDatabaseUnavailable(err)) abandoned = true;
      throw err;
    } finally {
      if (abandoned) await deps.claims.abandon(updateId);
      else deps.claims.finish(updateId);
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
  const after = canonicalJson(compactSession(session));
  if (after === before) return;
  await saveBotSession(db, key, after === "{}" ? null : compactSession(session));
}

/**
 * JSON with every object's keys in one order. The database (jsonb) hands a session
 * back with its keys reordered and a scene's zod check rebuilds its state in the
 * schema's order: compared as written, an unchanged session looked changed and was
 * written back with every update.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}
