import { Composer, type Middleware, Scenes } from "telegraf";
import type { z } from "zod";
import type { BotContext } from "../context.js";
import { type BotSceneSession, NEW_TICKET_STEPS } from "../session.js";
import { addOrNewScene, addOrNewStateSchema } from "./add-or-new.js";
import { SCENES, type SceneId } from "./ids.js";
import { newTicketScene } from "./new-ticket.js";
import { newTicketDraftSchema } from "./new-ticket-draft.js";
import { ratingCommentScene, ratingCommentStateSchema } from "./rating-comment.js";
import { replyToTicketScene, replyToTicketStateSchema } from "./reply-to-ticket.js";

/** A conversation left untouched this long is over: the next message is treated as new. */
export const SCENE_TTL_SECONDS = 24 * 60 * 60;
/**
 * Activity moves the expiry forward at most this often: each move is a session write,
 * and a reply conversation would otherwise write its session with every message.
 */
const EXPIRY_STEP_SECONDS = 60 * 60;

/** What each scene's state must look like when it is read back from the session. */
const STATE_SCHEMAS: Record<SceneId, z.ZodType<object>> = {
  [SCENES.newTicket]: newTicketDraftSchema,
  [SCENES.replyToTicket]: replyToTicketStateSchema,
  [SCENES.addOrNew]: addOrNewStateSchema,
  [SCENES.ratingComment]: ratingCommentStateSchema,
};

const isKnownScene = (id: string): id is SceneId => id in STATE_SCHEMAS;

/**
 * A scene's state is plain JSON that a restart, another instance or an older
 * version wrote: it is checked before the scene sees it. Unreadable, or a wizard
 * cursor past its steps: the conversation ends with a notice instead of an error.
 */
const checkSceneState: Middleware<BotContext> = async (ctx, next) => {
  const session = ctx.scene.session; // Telegraf drops an expired scene here
  const id = session.current;
  if (id === undefined) return next();
  const parsed = isKnownScene(id) ? STATE_SCHEMAS[id].safeParse(session.state ?? {}) : null;
  const cursorOk = id !== SCENES.newTicket || (session.cursor ?? 0) < NEW_TICKET_STEPS.length;
  if (parsed?.success && cursorOk) {
    ctx.scene.state = parsed.data;
    return next();
  }
  ctx.scene.reset();
  const notice = ctx.t("scene_outdated");
  if (ctx.callbackQuery) await ctx.answerCbQuery(notice, { show_alert: true });
  else await ctx.reply(notice);
};

/** After the handlers: a conversation still running was touched now, so it lives on. */
const keepSceneAlive: Middleware<BotContext> = async (ctx, next) => {
  await next();
  const scenes = ctx.session?.__scenes as BotSceneSession | undefined;
  if (!scenes?.current) return;
  const now = Math.floor(Date.now() / 1000);
  if (scenes.expires === undefined || scenes.expires - now < SCENE_TTL_SECONDS - EXPIRY_STEP_SECONDS)
    scenes.expires = now + SCENE_TTL_SECONDS;
};

/**
 * The bot's one Stage, over the session update-state.ts loads and writes back
 * (no session middleware of its own). Leaving is always possible: /cancel ends any
 * conversation; /start, /new, /my and /track (deep links too) end it and then do
 * what they say.
 */
export function sceneStage(): Middleware<BotContext> {
  const stage = new Scenes.Stage<BotContext, BotSceneSession>(
    [newTicketScene, replyToTicketScene, addOrNewScene, ratingCommentScene],
    { ttl: SCENE_TTL_SECONDS },
  );
  stage.command("cancel", async (ctx) => {
    const busy = ctx.scene.current !== undefined;
    await ctx.scene.leave();
    await ctx.reply(ctx.t(busy ? "cancelled" : "nothing_to_cancel"));
  });
  stage.command(["start", "new", "my", "track"], async (ctx, next) => {
    await ctx.scene.leave();
    return next();
  });
  stage.use(checkSceneState);
  return Composer.compose([keepSceneAlive, stage.middleware()]);
}
