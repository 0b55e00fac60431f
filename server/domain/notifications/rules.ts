import type { NotificationType, SlaTarget, User } from "../../../drizzle/schema/index.js";

/**
 * Which notification kinds are on when a user never chose: new-ticket pings to
 * individual staff are opt-in (the staff chat already gets every new ticket);
 * everything about tickets a person is part of is on.
 */
const DEFAULT_ON: Record<NotificationType, boolean> = {
  new_ticket: false,
  assigned: true,
  status_changed: true,
  new_message: true,
  closed: true,
  sla_breach: true,
  sla_warning: true,
  system: true,
  received: true,
};

export function wantsNotification(user: Pick<User, "notifyPrefs">, type: NotificationType): boolean {
  return user.notifyPrefs[type] ?? DEFAULT_ON[type];
}

/**
 * The kinds one person can be sent, so the only ones a preference switch is
 * offered for. SLA warnings come with the SLA sweep (not built yet); system
 * notices (a requester blocked the bot) go to staff chats only.
 */
export const PERSONAL_NOTIFICATION_TYPES = [
  "new_ticket",
  "assigned",
  "status_changed",
  "new_message",
  "closed",
] as const satisfies readonly NotificationType[];

/** What a live chat's notice tells (bot/delivery/render-live.ts words each). */
export const LIVE_NOTICE_EVENTS = [
  "offer",
  "queued",
  "position",
  "connected",
  "accepted",
  "ended",
  "offer_expired",
  "transferred_in",
  "transferred_out",
  "transferred",
  "closed_hours",
] as const;
export type LiveNoticeEvent = (typeof LIVE_NOTICE_EVENTS)[number];

/** Who hears about a ticket change (SPEC §6). Recipients are resolved by record.ts. */
export type TicketChange =
  /** fileIds: the files given with the ticket, posted under its card (their calls are reserved with the post: server/jobs/outbox/batch.ts). */
  | { kind: "created"; fileIds?: string[] }
  | { kind: "assigned"; assigneeId: string | null; previousAssigneeId: string | null }
  | { kind: "status"; from: string; to: string }
  | {
      kind: "message";
      messageId: string;
      authorIsRequester: boolean;
      internal: boolean;
      /** The files the message had when it was queued; an album's later files follow separately. */
      fileIds?: string[];
      /** The Telegram chat it was written in: that chat has it already and is not sent a copy. */
      originChatId?: number;
    }
  /** "Your message was added": the bot's answer to the author of a message sent in the private chat. */
  | { kind: "received"; internal: boolean }
  /**
   * A live chat's notice (server/domain/live/notices.ts writes its rows itself, to
   * the one person it is for): an offer, a queue position, connected, ended…
   */
  | {
      kind: "live";
      event: LiveNoticeEvent;
      chatId: string;
      position?: number;
      waitMinutes?: number;
      /** Who the other side is (the operator's or the requester's display name). */
      name?: string;
    }
  /** The requester blocked the bot, or came back. */
  | { kind: "reachability"; blocked: boolean }
  | { kind: "priority"; from: string; to: string }
  /** An automation rule's notify_chat action: its text, to the chat it names. */
  | { kind: "rule_notice"; chatId: number; text: string; rule: string }
  /**
   * An SLA target came close to (warning) or passed (breach) its due time
   * (server/domain/sla/raise.ts); escalateTo: the chat a policy's escalation names.
   */
  | {
      kind: "sla";
      raise: "warning" | "breach";
      target: SlaTarget;
      dueAt: string | null;
      escalateTo?: number | null;
    };

export type Audience =
  | { to: "requester"; type: NotificationType }
  | { to: "user"; userId: string; type: NotificationType }
  | { to: "staff_chat"; type: NotificationType }
  | { to: "scope_staff_opted_in"; type: NotificationType }
  /** The moderators whose scope covers the ticket. */
  | { to: "scope_moderators"; type: NotificationType }
  /** A chat named by a setting or policy (not a person, not the scope's staff chat). */
  | { to: "chat"; chatId: number; type: NotificationType };

export function audiencesFor(change: TicketChange, assigneeId: string | null): Audience[] {
  switch (change.kind) {
    case "created":
      return [
        { to: "staff_chat", type: "new_ticket" },
        { to: "scope_staff_opted_in", type: "new_ticket" },
      ];
    case "assigned": {
      const out: Audience[] = [{ to: "staff_chat", type: "assigned" }];
      if (change.assigneeId) out.push({ to: "user", userId: change.assigneeId, type: "assigned" });
      if (change.previousAssigneeId && change.previousAssigneeId !== change.assigneeId) {
        out.push({ to: "user", userId: change.previousAssigneeId, type: "assigned" });
      }
      return out;
    }
    case "status": {
      const type: NotificationType = change.to === "closed" ? "closed" : "status_changed";
      return [
        { to: "requester", type },
        { to: "staff_chat", type },
      ];
    }
    case "message": {
      if (change.internal) {
        // Notes never go to the requester; the assignee hears of them.
        return assigneeId ? [{ to: "user", userId: assigneeId, type: "new_message" }] : [];
      }
      if (change.authorIsRequester) {
        // The staff chat mirrors the whole public thread; the assignee also gets a direct ping.
        const out: Audience[] = [{ to: "staff_chat", type: "new_message" }];
        if (assigneeId) out.push({ to: "user", userId: assigneeId, type: "new_message" });
        return out;
      }
      return [
        { to: "requester", type: "new_message" },
        { to: "staff_chat", type: "new_message" },
      ];
    }
    case "reachability":
    case "priority":
      return [{ to: "staff_chat", type: "system" }];
    case "sla": {
      if (change.raise === "warning")
        return assigneeId
          ? [{ to: "user", userId: assigneeId, type: "sla_warning" }]
          : [{ to: "staff_chat", type: "sla_warning" }];
      const out: Audience[] = [
        { to: "staff_chat", type: "sla_breach" },
        { to: "scope_moderators", type: "sla_breach" },
      ];
      if (assigneeId) out.push({ to: "user", userId: assigneeId, type: "sla_breach" });
      if (change.escalateTo) out.push({ to: "chat", chatId: change.escalateTo, type: "sla_breach" });
      return out;
    }
    case "rule_notice":
      return [{ to: "chat", chatId: change.chatId, type: "system" }];
    case "live":
      // Written for its one reader by server/domain/live/notices.ts.
      return [];
    case "received":
      // Written for its author by the message's own write (record.ts receivedRow), not by audience.
      return [];
  }
}
