import { randomUUID } from "node:crypto";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";
import { reportChat } from "./chats.js";
import { queueReportDocument, type RenderedReportFile, TELEGRAM_DOCUMENT_MAX_BYTES } from "./queue.js";
import { sendReportSchema } from "./schemas.js";

export interface SentReport {
  notificationId: string;
  chatId: number;
  fileName: string;
  bytes: number;
}

/**
 * Sends a report file to a Telegram chat (admins and owners): the staff chat, or a
 * chat the bot knows (chats.ts). The door renders the file with the admin's own
 * rights (`render`, called only once the admin and the chat are checked); its bytes
 * go to the file store and an outbox row carries them to the chat (queue.ts).
 * Audited: which report went where.
 */
export async function sendReportToChat({
  ctx,
  input,
  render,
}: {
  ctx: ServiceContext;
  input: unknown;
  render: () => Promise<RenderedReportFile>;
}): Promise<SentReport> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "report.send");
  const data = parseInput(sendReportSchema, input);
  const files = ctx.files;
  if (!files) throw new DomainError("INTERNAL", { reason: "no file store" });
  const chatId = await reportChat(ctx.db, ctx, data.chatId);
  const file = await render();
  if (file.bytes.byteLength > TELEGRAM_DOCUMENT_MAX_BYTES)
    throw new DomainError("LIMIT_EXCEEDED", { limit: TELEGRAM_DOCUMENT_MAX_BYTES, what: "report_file" });
  const id = randomUUID();
  const path = await files.put(`reports/${id}/${file.fileName}`, file.bytes);
  // A send that fails to commit leaves no file behind.
  const notificationId = await ctx.db
    .transaction(async (tx) => {
      const queued = await queueReportDocument(tx, {
        chatId,
        queuedAt: ctx.clock.now(),
        key: `report_file:${id}`,
        document: { path, fileName: file.fileName, contentType: file.contentType, caption: file.caption },
      });
      await writeAudit(tx, ctx.actor, {
        action: "report.send",
        entity: "report",
        entityId: null,
        after: { chatId, fileName: file.fileName, bytes: file.bytes.byteLength },
      });
      return queued as string;
    })
    .catch(async (e) => {
      await files.remove(path);
      throw e;
    });
  return { notificationId, chatId, fileName: file.fileName, bytes: file.bytes.byteLength };
}
