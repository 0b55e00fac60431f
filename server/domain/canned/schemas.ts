import { z } from "zod";
import { CANNED_SCOPES, LANGUAGES } from "../../../drizzle/schema/index.js";
import { ATTACHMENT_KINDS } from "../tickets/attachment-policy.js";
import { telegramOriginSchema } from "../tickets/schemas.js";

export const CANNED_TITLE_MAX = 100;
/** Below a message's 4000 characters (MESSAGE_MAX), with room for placeholders to grow when filled. */
export const CANNED_BODY_MAX = 3800;
/** Files one canned reply may carry (a message takes at most 20; a reply is short). */
export const CANNED_FILES_MAX = 10;

const body = z.string().trim().min(1).max(CANNED_BODY_MAX);

/** The text per language; at least one language must be present. */
export const cannedBodiesSchema = z
  .object({ fa: body.optional(), en: body.optional(), ru: body.optional() })
  .refine((b) => LANGUAGES.some((l) => b[l] !== undefined), {
    message: "at least one language",
    params: { code: "required" },
  });

/** A file sent with a canned reply: a stored copy (storagePath) and/or a Telegram file id. */
export const cannedFileSchema = z
  .object({
    kind: z.enum(ATTACHMENT_KINDS).default("document"),
    fileName: z.string().trim().min(1).max(255),
    mimeType: z.string().min(3).max(255),
    sizeBytes: z.number().int().min(0),
    storagePath: z.string().max(1024).nullish(),
    tgFileId: z.string().min(1).max(512).nullish(),
  })
  .refine((f) => f.storagePath || f.tgFileId, { message: "a file needs a storagePath or a tgFileId" });

export const cannedScopeSchema = z.enum(CANNED_SCOPES);

export const createCannedReplySchema = z.object({
  scope: cannedScopeSchema.default("personal"),
  /** A branch reply's branch; defaults to the actor's own branch. */
  branchId: z.uuid().nullish(),
  title: z.string().trim().min(1).max(CANNED_TITLE_MAX),
  bodies: cannedBodiesSchema,
  files: z.array(cannedFileSchema).max(CANNED_FILES_MAX).default([]),
});
export type CreateCannedReplyInput = z.input<typeof createCannedReplySchema>;

const cannedFields = z.object({
  scope: cannedScopeSchema.optional(),
  branchId: z.uuid().nullish(),
  title: z.string().trim().min(1).max(CANNED_TITLE_MAX).optional(),
  bodies: cannedBodiesSchema.optional(),
  files: z.array(cannedFileSchema).max(CANNED_FILES_MAX).optional(),
});
const somethingToChange = (v: z.infer<typeof cannedFields>) =>
  v.scope ?? v.branchId ?? v.title ?? v.bodies ?? v.files;
export const updateCannedReplySchema = cannedFields
  .extend({ id: z.uuid() })
  .refine(somethingToChange, { message: "nothing to change" });
/** The same change as the API takes it (the id comes from the path). */
export const updateCannedBodySchema = cannedFields.refine(somethingToChange, {
  message: "nothing to change",
});
export type UpdateCannedReplyInput = z.input<typeof updateCannedReplySchema>;

export const cannedIdSchema = z.object({ id: z.uuid() });

export const listCannedRepliesSchema = z.object({
  /** Words in the title or any language's text (Persian ی/ي and ک/ك alike). */
  q: z.string().trim().max(100).optional(),
  /** Also the branch replies of this ticket's branch (a picker opened on a ticket). */
  ticketId: z.uuid().optional(),
  /** Admins: every reply, anyone's (the management screen). */
  all: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).default(false),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListCannedRepliesInput = z.input<typeof listCannedRepliesSchema>;

export const sendCannedReplySchema = z.object({
  ticketId: z.uuid(),
  cannedReplyId: z.uuid(),
  internal: z.boolean().default(false),
  source: z.enum(["bot", "staff_chat", "miniapp"]).default("miniapp"),
  /**
   * The Telegram message that stands for the reply in a staff chat (the /canned list
   * it was chosen from): stored once, so a second press of that list sends nothing
   * more, and a reply to it in the chat is a reply on the ticket.
   */
  origin: telegramOriginSchema.pick({ chatId: true, messageId: true }).optional(),
});
export type SendCannedReplyInput = z.input<typeof sendCannedReplySchema>;

/** The send as the API takes it (the ticket comes from the path, the source is the Mini App). */
export const sendCannedBodySchema = sendCannedReplySchema.pick({ cannedReplyId: true, internal: true });

export const previewCannedReplySchema = z.object({ ticketId: z.uuid(), cannedReplyId: z.uuid() });
