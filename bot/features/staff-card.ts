import { Composer } from "telegraf";
import {
  assignTicket,
  changeTicketStatus,
  DomainError,
  getTicket,
  getTriageChoices,
  getUser,
  isWorker,
  type Language,
  type Ticket,
  updateTicket,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { decodeCallback } from "../ui/callback-data.js";
import { type Keyboard, staffCardKeyboard, staffMenuKeyboard } from "../ui/keyboards.js";
import { displayName } from "../ui/text.js";

/**
 * The buttons under a ticket's card in a staff chat (or an agent's private
 * notification): take, and the assign…, status… and priority… menus, which swap
 * the card's keyboard in place and come back to it after a choice. Every choice
 * is one domain verb, the same the Mini App calls; its notifications (the card
 * edit in a plain group, the requester's message) come from the outbox.
 */
export function staffCardFeature(deps: { publicUrl?: string; staffLanguage: Language }) {
  const feature = new Composer<BotContext>();

  feature.on("callback_query", async (ctx, next) => {
    const action = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (!action || !["take", "menu", "asg", "st", "pr"].includes(action.a)) return next();
    // Requesters and auditors get a translated refusal, whatever the button says.
    if (!isWorker(ctx.svc.actor)) throw new DomainError("FORBIDDEN", { action: "ticket.triage" });
    // A group's card speaks the staff language (as the outbox writes it); a private
    // notification, its reader's. Pop-up answers are always the presser's own.
    const inGroup = ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
    const cardT = inGroup ? ctx.i18n.getFixedT(deps.staffLanguage, "bot") : ctx.t;
    const setKeyboard = (keyboard: Keyboard) =>
      ctx.editMessageReplyMarkup({ inline_keyboard: keyboard }).catch(() => {
        // "message is not modified" or a deleted card: the choice itself was made.
      });
    // An expired query (a slow tap) must not turn a choice that was made into an error.
    const answer = (text = "", alert = false) =>
      ctx.answerCbQuery(text, { show_alert: alert }).catch(() => {});
    const backToCard = async (ticket: Ticket, text: string) => {
      await answer(text);
      await setKeyboard(staffCardKeyboard(ticket, cardT, deps.publicUrl));
    };

    switch (action.a) {
      case "take": {
        const ticket = await assignTicket({
          ctx: ctx.svc,
          input: { ticketId: action.t, assigneeId: ctx.user.id, ifUnassigned: true },
        });
        return backToCard(
          ticket,
          ctx.t("staff.taken", { name: displayName(ctx.user, ""), number: ticket.number }),
        );
      }
      case "menu": {
        const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: action.t } });
        if (action.m === "main") return backToCard(ticket, "");
        const choices = await getTriageChoices({ ctx: ctx.svc, input: { ticketId: ticket.id } });
        if (action.m === "assign" && choices.assignees.length === 0 && !choices.canUnassign) {
          await answer(ctx.t("staff.no_assignees"), true);
          return;
        }
        await answer();
        await setKeyboard(staffMenuKeyboard(action.m, ticket, choices, cardT));
        return;
      }
      case "asg": {
        const assigneeId = action.u === "-" ? null : action.u;
        const ticket = await assignTicket({ ctx: ctx.svc, input: { ticketId: action.t, assigneeId } });
        const assignee =
          assigneeId === ctx.user.id
            ? ctx.user
            : assigneeId
              ? await getUser({ ctx: ctx.svc, input: { userId: assigneeId } }).catch(() => null)
              : null;
        const done = assigneeId
          ? ctx.t("staff.assigned", { number: ticket.number, name: displayName(assignee, "") })
          : ctx.t("staff.unassigned", { number: ticket.number });
        return backToCard(ticket, done);
      }
      case "st": {
        const ticket = await changeTicketStatus({
          ctx: ctx.svc,
          input: { ticketId: action.t, status: action.s },
        });
        return backToCard(
          ticket,
          ctx.t("staff.status_set", { number: ticket.number, status: ctx.t(`common:status.${action.s}`) }),
        );
      }
      case "pr": {
        const ticket = await updateTicket({
          ctx: ctx.svc,
          input: { ticketId: action.t, priority: action.p },
        });
        return backToCard(
          ticket,
          ctx.t("staff.priority_set", {
            number: ticket.number,
            priority: ctx.t(`common:priority.${action.p}`),
          }),
        );
      }
      default:
        return next();
    }
  });
  return feature;
}
