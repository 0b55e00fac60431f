import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  cannedReplies,
  type RuleAction,
  type Ticket,
  ticketLabels,
  users,
} from "../../../drizzle/schema/index.js";
import { renderCannedReply } from "../canned/render.js";
import type { ServiceContext } from "../context.js";
import { canMove } from "../lifecycle.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { scheduleJob } from "../schedule/jobs.js";
import { applyAssignment } from "../tickets/assign.js";
import { applyStatus } from "../tickets/change-status.js";
import { addSystemMessage } from "../tickets/system-message.js";
import { applyTicketUpdate } from "../tickets/update.js";

/**
 * Carries out one action of a rule as the system, in the rule's transaction, through
 * the same writes the verbs use (so history, notices, SLA and auto-close follow). An
 * action that would change nothing (the value is already set, a move the lifecycle
 * does not allow) is skipped. ctx.rule is set: these changes queue no rules.
 */
export async function applyRuleAction(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  action: RuleAction,
  automationEventId: string,
): Promise<Ticket> {
  switch (action.type) {
    case "set_priority":
      return applyTicketUpdate(tx, ctx, ticket, { priority: action.value as Ticket["priority"] });
    case "set_category":
      return applyTicketUpdate(tx, ctx, ticket, { categoryId: action.value });
    case "add_label": {
      const current = await tx
        .select({ id: ticketLabels.labelId })
        .from(ticketLabels)
        .where(eq(ticketLabels.ticketId, ticket.id));
      const ids = current.map((l) => l.id);
      if (ids.includes(action.value)) return ticket;
      return applyTicketUpdate(tx, ctx, ticket, { labelIds: [...ids, action.value] });
    }
    case "set_status": {
      const to = action.value as Ticket["status"];
      if (to === ticket.status || !canMove("staff", ticket.status, to)) return ticket;
      return applyStatus(tx, ctx, ticket, to);
    }
    case "assign":
      if (ticket.assigneeId === action.userId) return ticket;
      return applyAssignment(tx, ctx, ticket, action.userId);
    case "assign_auto":
      // The auto-assignment job picks the agent (its strategy, skills and capacity).
      await scheduleJob(tx, {
        kind: "auto_assign",
        key: `auto_assign:${ticket.id}`,
        runAt: ctx.clock.now(),
        payload: { ticketId: ticket.id },
      });
      return ticket;
    case "add_note":
      await addSystemMessage(tx, ctx, ticket, { body: action.body, internal: true });
      return ticket;
    case "send_canned": {
      const [reply] = await tx.select().from(cannedReplies).where(eq(cannedReplies.id, action.cannedReplyId));
      if (!reply) return ticket; // deleted since the rule was saved
      const requester = await userById(tx, ticket.requesterId);
      // The canned replies' own renderer: the requester's language, placeholders filled.
      const { body } = renderCannedReply(reply, {
        language: requester?.language ?? null,
        ticket,
        requester,
        agent: ticket.assigneeId ? await userById(tx, ticket.assigneeId) : null,
      });
      if (body) await addSystemMessage(tx, ctx, ticket, { body, internal: false });
      return ticket;
    }
    case "notify_chat":
      await recordTicketNotifications(tx, ctx, ticket, automationEventId, {
        kind: "rule_notice",
        chatId: action.chatId,
        text: action.text,
        rule: ctx.rule?.name ?? "",
      });
      return ticket;
  }
}

async function userById(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(users).where(eq(users.id, id));
  return row ?? null;
}
