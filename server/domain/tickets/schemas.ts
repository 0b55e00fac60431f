import { z } from "zod";
import { PRIORITIES, TICKET_STATUSES } from "../../../drizzle/schema/index.js";
import { ATTACHMENT_KINDS } from "./attachment-policy.js";
import { TICKET_CHANNELS } from "./channel.js";

export const uuid = z.uuid();
export const statusSchema = z.enum(TICKET_STATUSES);
export const prioritySchema = z.enum(PRIORITIES);

export const TITLE_MIN = 3;
export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 4000;
export const MESSAGE_MAX = 4000;

/** Files one message (or a new ticket) may carry, whichever door they come through. */
export const MAX_FILES_PER_MESSAGE = 20;

export const titleSchema = z.string().trim().min(TITLE_MIN).max(TITLE_MAX);

export const attachmentInputSchema = z.object({
  kind: z.enum(ATTACHMENT_KINDS).default("document"),
  fileName: z.string().trim().min(1).max(255),
  mimeType: z.string().min(3).max(255),
  sizeBytes: z.number().int().min(0),
  tgFileId: z.string().min(1).max(512).optional(),
  tgFileUniqueId: z.string().min(1).max(128).optional(),
  storagePath: z.string().max(1024).optional(),
  /** A location's latitude/longitude, a contact's phone and names. */
  meta: z.record(z.string().max(64), z.union([z.string().max(512), z.number()])).optional(),
});
export type AttachmentInput = z.infer<typeof attachmentInputSchema>;

export const telegramOriginSchema = z.object({
  chatId: z.number().int(),
  messageId: z.number().int(),
  mediaGroupId: z.string().max(64).optional(),
});

export const createTicketSchema = z.object({
  title: titleSchema,
  description: z.string().trim().max(DESCRIPTION_MAX).default(""),
  categoryId: uuid,
  priority: prioritySchema.default("normal"),
  /** Staff opening a ticket on behalf of someone; defaults to the actor. */
  requesterId: uuid.optional(),
  /** Defaults to the requester's branch. */
  branchId: uuid.nullable().optional(),
  attachments: z.array(attachmentInputSchema).max(MAX_FILES_PER_MESSAGE).default([]),
  idempotencyKey: z.string().min(8).max(128).optional(),
  /** `live`: a live chat's ticket (server/domain/live/ask.ts), which auto-assignment leaves to live routing. */
  channel: z.enum(["ticket", "live"]).default("ticket"),
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;
/** What a caller of the API may send to open a ticket: files come only through an upload. */
export const createTicketBodySchema = createTicketSchema.omit({ attachments: true, channel: true });

/**
 * The version of the ticket the caller last read (the HTTP door's If-Match): the
 * change is refused with PRECONDITION_FAILED when the ticket changed since.
 */
const ifMatch = z.string().min(1).max(100).optional();

export const changeStatusSchema = z.object({
  ticketId: uuid,
  status: statusSchema,
  comment: z.string().trim().max(1000).optional(),
  ifMatch,
});
export const changeStatusBodySchema = changeStatusSchema.omit({ ticketId: true, ifMatch: true });
export type ChangeStatusInput = z.input<typeof changeStatusSchema>;

export const assignSchema = z.object({
  ticketId: uuid,
  /** null unassigns. */
  assigneeId: uuid.nullable(),
  /**
   * Only if nobody has it yet ("Take" on a card that may be stale): a moderator
   * must not take a colleague's ticket over by tapping an old button.
   */
  ifUnassigned: z.boolean().default(false),
  ifMatch,
});
export const assignBodySchema = assignSchema.omit({ ticketId: true, ifMatch: true });
export type AssignInput = z.input<typeof assignSchema>;

/** Only the fields given change: a field left out is never overwritten with what the caller last saw. */
const ticketFields = z.object({
  title: titleSchema.optional(),
  priority: prioritySchema.optional(),
  categoryId: uuid.optional(),
  labelIds: z.array(uuid).max(20).optional(),
});
const somethingToChange = (v: z.infer<typeof ticketFields>) =>
  v.title ?? v.priority ?? v.categoryId ?? v.labelIds;
export const updateTicketSchema = ticketFields
  .extend({ ticketId: uuid, ifMatch })
  .refine(somethingToChange, { message: "nothing to change" });
export const updateTicketBodySchema = ticketFields.refine(somethingToChange, {
  message: "nothing to change",
});
export type UpdateTicketInput = z.input<typeof updateTicketSchema>;

export const addMessageSchema = z
  .object({
    ticketId: uuid,
    body: z.string().trim().max(MESSAGE_MAX).default(""),
    internal: z.boolean().default(false),
    source: z.enum(["bot", "staff_chat", "miniapp", "system"]).default("bot"),
    attachments: z.array(attachmentInputSchema).max(MAX_FILES_PER_MESSAGE).default([]),
    origin: telegramOriginSchema.optional(),
    /**
     * Answer the author in the Telegram chat the message came from ("✉️ Added to
     * T-…"), through the outbox: a burst of messages is answered by one post.
     */
    acknowledge: z.boolean().default(false),
  })
  .refine((v) => v.body.length > 0 || v.attachments.length > 0, {
    message: "a message needs text or an attachment",
    path: ["body"],
  });
export type AddMessageInput = z.input<typeof addMessageSchema>;
/** A reply or note as the API takes it (JSON or multipart fields): no source, origin or stored files. */
export const messageBodySchema = z.object({
  body: z.string().trim().max(MESSAGE_MAX).default(""),
  internal: z.boolean().default(false),
});

/** How long after writing it a message may be edited from the Mini App: Telegram's own limit for
 * a bot editing what it sent (48 h), past which the delivered copies could no longer follow. */
export const MESSAGE_EDIT_WINDOW_MS = 48 * 3_600_000;
const editedBody = z.string().trim().min(1).max(MESSAGE_MAX);
/** What the API takes to edit a message (the ticket and the message come from the path). */
export const editMessageBodySchema = z.object({ body: editedBody });
/** An edit names its message by the Telegram message it came from (bot) or by id in its ticket (Mini App). */
export const editMessageSchema = z.union([
  z.object({ origin: telegramOriginSchema.pick({ chatId: true, messageId: true }), body: editedBody }),
  z.object({ ticketId: uuid, messageId: uuid, body: editedBody }),
]);
export type EditMessageInput = z.input<typeof editMessageSchema>;

/** What the API takes to rate (the ticket comes from the path). */
export const rateBodySchema = z.object({
  rating: z.number().int().min(1).max(5).optional(),
  comment: z.string().trim().min(1).max(1000).optional(),
});
export const rateSchema = rateBodySchema
  .extend({ ticketId: uuid })
  .refine((r) => r.rating !== undefined || r.comment !== undefined, {
    path: ["rating"],
    message: "required",
  });
export type RateInput = z.input<typeof rateSchema>;

/** The SLA states a queue may be filtered on. */
export const SLA_FILTERS = ["at_risk", "breached"] as const;

export const SORTS = ["updated_desc", "updated_asc", "created_desc", "created_asc", "priority_desc"] as const;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(item).max(50));

export const listTicketsSchema = z.object({
  status: csv(statusSchema).optional(),
  priority: csv(prioritySchema).optional(),
  categoryId: csv(uuid).optional(),
  branchId: csv(uuid).optional(),
  labelId: csv(uuid).optional(),
  /** Where the requester first wrote (tickets/channel.ts): bot, miniapp, staff_chat, none. */
  channel: csv(z.enum(TICKET_CHANNELS)).optional(),
  /** A user id, or "none" for unassigned. */
  assigneeId: z.union([uuid, z.literal("none")]).optional(),
  requesterId: uuid.optional(),
  createdFrom: z.coerce.date().optional(),
  createdTo: z.coerce.date().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(SORTS).default("updated_desc"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
  /** Staff only: tickets whose SLA is at risk (none overdue yet) or breached (any overdue). */
  sla: z.enum(SLA_FILTERS).optional(),
  /** Staff only: tickets a breach escalated that are still being worked (the Escalated tab). */
  escalated: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).optional(),
});
export type ListTicketsInput = z.input<typeof listTicketsSchema>;

/** Most tickets one bulk action touches: a screenful of selections, not a data migration. */
export const BULK_MAX = 100;
/** One action for many tickets (the queue's select mode): each ticket goes through its single verb. */
export const bulkActionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("assign"), assigneeId: uuid.nullable() }),
  z.object({ action: z.literal("status"), status: statusSchema }),
  z.object({ action: z.literal("label"), labelId: uuid, remove: z.boolean().default(false) }),
]);
export const bulkTicketsSchema = z
  .object({ ticketIds: z.array(uuid).min(1).max(BULK_MAX) })
  .and(bulkActionSchema);
export type BulkTicketsInput = z.input<typeof bulkTicketsSchema>;
