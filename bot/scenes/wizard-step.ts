import type { Middleware } from "telegraf";
import type { Message } from "telegraf/types";
import type { BotContext } from "../context.js";
import { buttonOf, type CallbackAction } from "../ui/callback-data.js";

/** The buttons of the /new conversation; any other button is some other feature's. */
const WIZARD_BUTTONS = new Set<CallbackAction["a"]>(["cat", "pri", "flow", "nav"]);

/** A step's answer to one of the wizard's buttons: what to do, or undefined when it is not this step's. */
export type StepButton = (action: CallbackAction) => ((ctx: BotContext) => Promise<unknown>) | undefined;

/**
 * One step of a wizard scene: its buttons (a Skip or Done bound to this step comes
 * as the plain flow action) and its answer to a message in the private chat.
 * A wizard button that is not this step's is stale (from an earlier step's
 * message): answered, not acted on. Commands and other features' buttons pass on.
 */
export function wizardStep(handlers: {
  button?: StepButton;
  message: (ctx: BotContext, message: Message) => Promise<unknown>;
}): Middleware<BotContext> {
  return async (ctx, next) => {
    if (ctx.callbackQuery) {
      const action = buttonOf(ctx);
      // "Open a new ticket" restarts the wizard: the feature that starts it handles it.
      if (!action || !WIZARD_BUTTONS.has(action.a) || (action.a === "flow" && action.f === "new"))
        return next();
      const run = handlers.button?.(action.a === "nav" ? { a: "flow", f: action.f } : action);
      if (!run) {
        await ctx.answerCbQuery(ctx.t("stale_button"));
        return;
      }
      await ctx.answerCbQuery();
      await run(ctx);
      return;
    }
    const message = ctx.message as Message | undefined;
    if (!message || ctx.chat?.type !== "private" || isCommand(message)) return next();
    await handlers.message(ctx, message);
  };
}

export const isCommand = (message: Message) => "text" in message && message.text.startsWith("/");
