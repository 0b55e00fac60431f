import type { DbOrTx } from "../../../drizzle/client.js";
import { notifications } from "../../../drizzle/schema/index.js";
import { scheduleReportFileCleanup } from "./file-cleanup.js";

/** A report file waiting in the file store to be posted (the outbox row's `payload.document`). */
export interface ReportDocument {
  /** The file store's path of the bytes. */
  path: string;
  fileName: string;
  contentType: string;
  /** The caption, already in the chat's language (the file is too). */
  caption: string;
}

/** What a door renders for a send: the file's bytes and how to name and caption it. */
export interface RenderedReportFile {
  bytes: Uint8Array;
  fileName: string;
  contentType: string;
  caption: string;
}

/** Telegram's bots may upload documents of at most 50 MB. */
export const TELEGRAM_DOCUMENT_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Puts a report file on the outbox, in the caller's transaction: a `system` row for
 * the chat whose payload carries the document, sent by the outbox worker with
 * sendDocument within the chat's Bot API budget like every other post. The key
 * makes a repeated write (a retried scheduled run) one row. The file's removal once
 * posted is put on the scheduler with it (file-cleanup.ts).
 */
export async function queueReportDocument(
  tx: DbOrTx,
  row: { chatId: number; key: string; document: ReportDocument; queuedAt: Date },
): Promise<string | null> {
  await scheduleReportFileCleanup(tx, { key: row.key, path: row.document.path, queuedAt: row.queuedAt });
  const [queued] = await tx
    .insert(notifications)
    .values({
      chatId: row.chatId,
      type: "system",
      payload: { document: row.document },
      idempotencyKey: row.key,
    })
    .onConflictDoNothing({ target: notifications.idempotencyKey })
    .returning({ id: notifications.id });
  return queued?.id ?? null;
}
