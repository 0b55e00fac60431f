import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../drizzle/client.js";
import { type Attachment, attachments } from "../../drizzle/schema/index.js";
import type { TelegramDelivererDeps } from "./deliverer.js";
import { callTelegram } from "./telegram-call.js";

const MEDIA_METHOD: Record<string, [string, string]> = {
  photo: ["sendPhoto", "photo"],
  video: ["sendVideo", "video"],
  voice: ["sendVoice", "voice"],
  audio: ["sendAudio", "audio"],
  document: ["sendDocument", "document"],
};

/**
 * A message's files, each as a reply to the text: by Telegram file_id, or, for a
 * file uploaded in the Mini App (stored here, unknown to Telegram), uploaded from
 * the file store once; the file_id Telegram gives it is kept for every later send.
 */
export async function sendFiles(
  deps: TelegramDelivererDeps,
  chatId: number,
  files: Attachment[],
  replyTo: number,
  threadExtra: Record<string, unknown>,
): Promise<void> {
  for (const file of files) {
    const [method, field] = MEDIA_METHOD[file.kind] ?? MEDIA_METHOD.document;
    const media = file.tgFileId ?? (await storedUpload(deps, file));
    // Bytes gone from the store: the text already counts the file; nothing to send.
    if (!media) continue;
    const payload = {
      chat_id: chatId,
      [field]: media,
      reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
      ...threadExtra,
    };
    const sent = await callTelegram<Record<string, unknown>>(deps.telegram, method, payload, deps.timeoutMs);
    if (!file.tgFileId) await rememberFileId(deps.db, file, sent[field]);
  }
}

async function storedUpload(deps: TelegramDelivererDeps, file: Attachment) {
  const bytes = file.storagePath ? await deps.files?.get(file.storagePath) : null;
  return bytes ? { source: Buffer.from(bytes), filename: file.fileName } : null;
}

/** The sent message's copy of the file (a photo comes in sizes: the largest). */
async function rememberFileId(db: Db, file: Attachment, media: unknown): Promise<void> {
  const sent = (Array.isArray(media) ? media.at(-1) : media) as
    | { file_id?: string; file_unique_id?: string }
    | undefined;
  if (!sent?.file_id) return;
  await db
    .update(attachments)
    .set({ tgFileId: sent.file_id, tgFileUniqueId: sent.file_unique_id ?? null })
    .where(and(eq(attachments.id, file.id), isNull(attachments.tgFileId)));
  file.tgFileId = sent.file_id;
}
