import type { i18n } from "i18next";
import type { Logger } from "pino";
import { type Middleware, Telegraf } from "telegraf";
import type { Update } from "telegraf/types";
import {
  type CallBudget,
  type ContextFactory,
  type Db,
  DomainError,
  type InstanceLiveness,
  isAdmin,
  type Language,
  type MetricsPort,
} from "../server/domain/index.js";
import { useDirectBotApi } from "./bot-api-client.js";
import { applyCallBudget } from "./call-budget.js";
import type { BotContext } from "./context.js";
import { formatDoctor, runDoctor } from "./doctor.js";
import { availabilityFeature } from "./features/availability.js";
import { cannedFeature } from "./features/canned.js";
import { cardsFeature } from "./features/cards.js";
import { liveFeature } from "./features/live.js";
import { membershipFeature } from "./features/membership.js";
import { moderationFeature } from "./features/moderation.js";
import { newTicketFeature } from "./features/new-ticket.js";
import { privateMessagesFeature } from "./features/private-messages.js";
import { staffCardFeature } from "./features/staff-card.js";
import { staffChatFeature } from "./features/staff-chat.js";
import { startFeature } from "./features/start.js";
import { ticketActionsFeature } from "./features/ticket-actions.js";
import { abuseControl } from "./middlewares/abuse.js";
import { botErrorHandler } from "./middlewares/errors.js";
import { botMetrics } from "./middlewares/metrics.js";
import { sequentialPerChat } from "./middlewares/sequential.js";
import { wellFormedUpdates } from "./middlewares/update-shape.js";
import { updateState } from "./middlewares/update-state.js";
import { createPlatformFeatures, type PlatformFeatures } from "./platform.js";
import { miniAppUrlOf } from "./runtime.js";
import { sceneStage } from "./scenes/stage.js";
import { claimsFor, createUpdateClaims, registerClaims, type UpdateClaimOptions } from "./update-claims.js";
import {
  answerCallbackLast,
  closeWebhookAnswer,
  openWebhookAnswer,
  webhookAnswerBody,
} from "./webhook-answer.js";

export interface BotDeps {
  token: string;
  apiRoot: string;
  db: Db;
  i18n: i18n;
  logger: Logger;
  contexts: ContextFactory;
  defaultLanguage: Language;
  /** This process's liveness lock: a claim of a dead process is taken over at once (webhook mode). */
  liveness?: InstanceLiveness;
  /** How long an unfinished claim holds before another arrival takes the update over (tests). */
  claimOptions?: UpdateClaimOptions;
  /** How long Telegraf waits for an update's handlers (default 30 s; tests). */
  handlerTimeoutMs?: number;
  /** How long one Bot API call of a handler may take (default 10 s). */
  apiTimeoutMs?: number;
  /** For /doctor: the configured public URL and global staff chat. */
  publicUrl?: string;
  staffChatId?: number | null;
  /**
   * The Bot API budget every instance shares (Telegram's limits): each answer takes
   * its place in it and a 429 is retried. Unset: calls go out unmetered (tests, bench:bot).
   */
  callBudget?: CallBudget | null;
  /** Counts updates by kind and their handling time (GET /metrics). */
  metrics?: MetricsPort;
  /** What the Bot API supports (BOT_PLATFORM; default: all of Telegram's). */
  platform?: PlatformFeatures;
}

const BOT_API_TIMEOUT_MS = 10_000;

/**
 * Gives every Bot API call a handler makes a deadline. Telegraf's own is 500 s:
 * one hanging call held its chat (updates of a chat run one after another) until
 * the 30 s handler timeout, and the chat's next messages timed out behind it.
 * An aborted call fails like any other (the error middleware apologises). The
 * calls go out through node:http rather than node-fetch (bot-api-client.ts).
 */
function boundedBotApiCalls(timeoutMs: number, budget?: CallBudget | null): Middleware<BotContext> {
  return (ctx, next) => {
    useDirectBotApi(ctx.telegram, timeoutMs);
    applyCallBudget(ctx.telegram, budget);
    return next();
  };
}

/** Writes the finished-update records still waiting (shutdown; tests before they look). */
export async function flushUpdateClaims(bot: Telegraf<BotContext>): Promise<void> {
  await claimsFor(bot)?.flush();
}

/**
 * The bot door: middlewares (Bot API deadline, per-chat order, then update claim +
 * actor + session), then one composer per feature. It calls domain verbs only;
 * messages that ticket changes cause are sent by the outbox worker, not from here.
 */
export function createBot(deps: BotDeps): Telegraf<BotContext> {
  const bot = new Telegraf<BotContext>(deps.token, {
    telegram: { apiRoot: deps.apiRoot },
    handlerTimeout: deps.handlerTimeoutMs ?? 30_000,
  });
  bot.context.miniAppUrl = miniAppUrlOf(deps.publicUrl);
  bot.context.platform = deps.platform ?? createPlatformFeatures("telegram", deps.logger);
  if (deps.metrics) bot.use(botMetrics(deps.metrics));
  bot.use(wellFormedUpdates(deps.logger));
  bot.use(boundedBotApiCalls(deps.apiTimeoutMs ?? BOT_API_TIMEOUT_MS, deps.callBudget));
  bot.use(sequentialPerChat());
  const claims = createUpdateClaims(deps.db, deps.logger, { ...deps.claimOptions, liveness: deps.liveness });
  registerClaims(bot, claims);
  bot.use(updateState({ ...deps, claims }));
  // Bans and flood control before anything reads or stores the update.
  bot.use(abuseControl());
  // Requester commands belong in the private chat, not in a staff group.
  bot.command(["start", "new", "my", "track", "settings", "lang", "cancel"], async (ctx, next) => {
    if (ctx.chat.type === "private") return next();
    await ctx.reply(ctx.t("private_only"), { reply_parameters: { message_id: ctx.message.message_id } });
  });
  // The conversations (scenes/), before the features: a running one answers its messages.
  bot.use(sceneStage());
  // Before the features: the private-chat handler answers unknown commands.
  bot.command("doctor", async (ctx) => {
    if (ctx.chat.type !== "private" || !isAdmin(ctx.svc.actor))
      throw new DomainError("FORBIDDEN", { action: "doctor" });
    const checks = await runDoctor({
      db: deps.db,
      telegram: ctx.telegram,
      publicUrl: deps.publicUrl,
      staffChatId: deps.staffChatId,
    });
    await ctx.reply(formatDoctor(checks, ctx.i18n.getFixedT(ctx.lang)));
  });
  bot.use(
    startFeature,
    availabilityFeature,
    liveFeature,
    newTicketFeature,
    cardsFeature,
    ticketActionsFeature,
    staffCardFeature({ publicUrl: deps.publicUrl, staffLanguage: deps.defaultLanguage }),
    moderationFeature({ publicUrl: deps.publicUrl, staffLanguage: deps.defaultLanguage }),
    privateMessagesFeature,
    cannedFeature,
    staffChatFeature,
    membershipFeature,
  );
  bot.on("callback_query", (ctx) => answerCallbackLast(ctx, ctx.t("stale_button")));
  bot.catch(botErrorHandler(deps));
  return bot;
}

/**
 * Handles one update as a webhook would, for the HTTP door: checks Telegram's
 * secret token header and answers 401 without it. `settled()` resolves when no
 * update is being handled: the shutdown waits for it before it closes the
 * database, since an update goes on being handled after its request's
 * connection is gone (a proxy that gave up on a stopping instance), and cut off
 * there it was neither stored nor released to another instance.
 */
export function webhookHandler(bot: Telegraf<BotContext>, secret: string | undefined, logger: Logger) {
  const inFlight = new Set<Promise<Response>>();
  const handle = (request: Request): Promise<Response> => {
    const handling = handleWebhook(request);
    inFlight.add(handling);
    void handling.finally(() => inFlight.delete(handling)).catch(() => {});
    return handling;
  };
  const settled = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
  return Object.assign(handle, { settled });

  async function handleWebhook(request: Request): Promise<Response> {
    if (secret && request.headers.get("x-telegram-bot-api-secret-token") !== secret) {
      return new Response("unauthorized", { status: 401 });
    }
    let update: Update;
    try {
      update = (await request.json()) as Update;
    } catch {
      return new Response("bad request", { status: 400 });
    }
    if (typeof update?.update_id !== "number") return new Response("bad request", { status: 400 });
    const slot = openWebhookAnswer(update);
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      // Already answered by bot.catch where possible; never make Telegram retry forever.
      logger.error({ err, updateId: update.update_id }, "webhook update failed");
    }
    // Closed also when Telegraf stopped waiting for handlers that still run: they call themselves.
    const answer = closeWebhookAnswer(slot);
    // Another instance still holds this update, or the database was unavailable:
    // Telegram is to deliver it again later.
    const claims = claimsFor(bot);
    const deferred = claims?.takeDeferred(update.update_id);
    if (claims?.takeAbandoned(update.update_id) || deferred)
      return new Response("retry later", { status: 503 });
    // The handlers' last call, for Telegram to make (webhook-answer.ts).
    if (answer)
      return new Response(webhookAnswerBody(answer), { headers: { "content-type": "application/json" } });
    return new Response("ok");
  }
}
