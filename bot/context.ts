import type { i18n, TFunction } from "i18next";
import type { Context, Scenes } from "telegraf";
import type { Language, MessageFacts, ServiceContext, User } from "../server/domain/index.js";
import type { PlatformFeatures } from "./platform.js";
import type { BotSceneSession, BotSession } from "./session.js";

/** What every handler gets on top of Telegraf's context (filled by the middlewares). */
export interface BotContext extends Context {
  user: User;
  svc: ServiceContext;
  t: TFunction;
  lang: Language;
  /** To speak another language within one update (right after the user picks one). */
  i18n: i18n;
  session: BotSession;
  /** The conversation running in this chat, if any (scenes/stage.ts; state kept in `session`). */
  scene: Scenes.SceneContextScene<BotContext, BotSceneSession>;
  /** Inside the /new wizard: its cursor (scenes/new-ticket.ts). */
  wizard: Scenes.WizardContextWizard<BotContext>;
  /**
   * The facts of the ticket the session replies to, read with the update's state for a
   * plain private message (bot/middlewares/update-state.ts); null otherwise.
   */
  replyFacts?: MessageFacts | null;
  /** Flood control's take, made with the update's state (number: refusals in a row); null: not taken yet. */
  floodRefused?: number | null;
  /** The Mini App's address when PUBLIC_URL is set (for staff menu buttons). */
  miniAppUrl?: string;
  /** What the Bot API in use supports (BOT_PLATFORM: Telegram or Bale; bot/platform.ts). */
  platform: PlatformFeatures;
}
