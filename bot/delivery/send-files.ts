import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../drizzle/client.js";
import { type Attachment, attachments } from "../../drizzle/schema/index.js";
import { DeliveryError } from "../../server/delivery/port.js";
import type { TelegramDelivererDeps } from "./deliverer.js";
import { callTelegram } from "./telegram-call.js";

const MEDIA_METHOD: Record<string, [string, string]> = {
  photo: ["sendPhoto", "photo"],
  video: ["sendVideo", "video"],
  voice: ["sendVoice", "voice"],
  audio: ["sendAudio", "audio"],
  document: ["sendDocument", "document"],
};
/** An upload carries the whole file: a 10 MB file on a slow uplink needs more than a call's 15 s. */
const UPLOAD_TIMEOUT_MS = 120_000;

const MISSING = Symbol("missing from the file store");

/** Uploads under way in this process, by attachment: a second send waits for the file_id. */
export type UploadsInFlight = Map<string, Promise<string | null>>;

/**
 * A message's files, each as a reply to the text: by Telegram file_id, or, for a
 * file uploaded in the Mini App (stored here, unknown to Telegram), uploaded from
 * the file store; the file_id Telegram gives it is kept for every later send, and
 * rows sent at the same moment (the requester's, the staff chat's) wait for the
 * one upload. A picture Telegram will not take as a photo (too large, too long)
 * goes as a document. Files missing from the store fail the row after the others
 * went out, so the failed list shows it.
 */
export async function sendFiles(
  deps: TelegramDelivererDeps & { uploads: UploadsInFlight },
  chatId: number,
  files: Attachment[],
  replyTo: number,
  threadExtra: Record<string, unknown>,
): Promise<void> {
  const missing: string[] = [];
  const base = {
    chat_id: chatId,
    reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
    ...threadExtra,
  };
  for (const file of files) {
    if (file.tgFileId) {
      await sendAs(deps, file, base, file.tgFileId);
      continue;
    }
    const pending = deps.uploads.get(file.id);
    const uploadedElsewhere = pending ? await pending : null;
    if (uploadedElsewhere) {
      await sendAs(deps, file, base, uploadedElsewhere);
      continue;
    }
    // This send uploads; it is registered before its first await, so a send that starts
    // meanwhile waits for it instead of uploading too.
    const upload = (async () => {
      // Another send (a row that went out just before, another instance) may have uploaded it.
      const known = await storedFileId(deps.db, file.id);
      if (known) return sendAs(deps, file, base, known).then(() => known);
      const bytes = file.storagePath ? await deps.files?.get(file.storagePath) : null;
      if (!bytes) return MISSING;
      return sendAs(deps, file, base, { source: Buffer.from(bytes), filename: file.fileName });
    })();
    deps.uploads.set(
      file.id,
      upload.then(
        (r) => (r === MISSING ? null : r),
        () => null,
      ),
    );
    try {
      const fileId = await upload;
      if (fileId === MISSING) missing.push(file.fileName);
      else if (fileId) await rememberFileId(deps.db, file, fileId);
    } finally {
      deps.uploads.delete(file.id);
    }
  }
  if (missing.length > 0)
    throw new DeliveryError("bad_request", `files missing from the file store: ${missing.join(", ")}`);
}

/** Sends one file as its kind (a refused photo again as a document); returns Telegram's file_id. */
async function sendAs(
  deps: TelegramDelivererDeps,
  file: Attachment,
  base: Record<string, unknown>,
  media: unknown,
): Promise<string | null> {
  const [method, field] = MEDIA_METHOD[file.kind] ?? MEDIA_METHOD.document;
  const timeout = typeof media === "string" ? deps.timeoutMs : UPLOAD_TIMEOUT_MS;
  try {
    const sent = await callTelegram<Record<string, unknown>>(
      deps.telegram,
      method,
      { ...base, [field]: media },
      timeout,
    );
    return fileIdOf(sent[field]);
  } catch (err) {
    if (!(method === "sendPhoto" && err instanceof DeliveryError && err.kind === "bad_request")) throw err;
    const sent = await callTelegram<Record<string, unknown>>(
      deps.telegram,
      "sendDocument",
      { ...base, document: media },
      timeout,
    );
    return fileIdOf(sent.document);
  }
}

/** The sent message's copy of the file (a photo comes in sizes: the largest). */
const fileIdOf = (media: unknown) => {
  const sent = (Array.isArray(media) ? media.at(-1) : media) as { file_id?: string } | undefined;
  return sent?.file_id ?? null;
};

async function storedFileId(db: Db, attachmentId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: attachments.tgFileId })
    .from(attachments)
    .where(eq(attachments.id, attachmentId));
  return row?.id ?? null;
}

async function rememberFileId(db: Db, file: Attachment, fileId: string): Promise<void> {
  await db
    .update(attachments)
    .set({ tgFileId: fileId })
    .where(and(eq(attachments.id, file.id), isNull(attachments.tgFileId)));
  file.tgFileId = fileId;
}
