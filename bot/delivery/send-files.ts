import type { Telegram } from "telegraf";
import {
  type Attachment,
  DeliveryError,
  type DeliveryStore,
  type FileStore,
} from "../../server/domain/index.js";
import { groupForTelegram, mediaGroupType, singleSend } from "./file-methods.js";
import { callTelegram } from "./telegram-call.js";

/** An upload carries the whole file: a 10 MB file on a slow uplink needs more than a call's 15 s. */
const UPLOAD_TIMEOUT_MS = 120_000;

/** Uploads under way in this process, by attachment: a second send waits for the file_id. */
export type UploadsInFlight = Map<string, Promise<string | null>>;

export interface FileSendDeps {
  telegram: Telegram;
  store: DeliveryStore;
  files?: FileStore;
  timeoutMs?: number;
  uploads: UploadsInFlight;
}

/** What a file is sent as: Telegram's file_id, the stored bytes, or nothing (bytes gone). */
type Media = string | { source: Buffer; filename: string } | null;

/**
 * A message's files under its text, in the order given: pictures and videos in
 * albums of up to 10 (one media group), documents and audio likewise, everything
 * else (voice, video notes, GIFs, stickers, locations, contacts) as its own kind
 * of message. A file uploaded in the Mini App (stored here, unknown to Telegram)
 * goes up once; the file_id Telegram gives it is kept for every later send. A
 * group Telegram refuses (a picture it will not take as a photo) goes out file by
 * file, a refused photo as a document. Files missing from the store fail the row
 * after the others went out, so the failed list shows it.
 */
export async function sendFiles(
  deps: FileSendDeps,
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
  for (const group of groupForTelegram(files)) {
    if (group.length > 1 && (await sendGroup(deps, base, group, missing))) continue;
    for (const file of group) await sendOne(deps, base, file, missing);
  }
  if (missing.length > 0)
    throw new DeliveryError("bad_request", `files missing from the file store: ${missing.join(", ")}`);
}

/** One media group; false when Telegram refused it as a group (the caller sends the files one by one). */
async function sendGroup(
  deps: FileSendDeps,
  base: Record<string, unknown>,
  group: Attachment[],
  missing: string[],
): Promise<boolean> {
  const before = missing.length;
  const media: Array<{ file: Attachment; media: Exclude<Media, null> }> = [];
  for (const file of group) {
    const m = await mediaOf(deps, file);
    if (m === null) missing.push(file.fileName);
    else media.push({ file, media: m });
  }
  if (media.length === 0) return true;
  // Telegram takes 2–10 items in a group: one file left (the others missing) goes alone.
  if (media.length === 1) {
    missing.length = before;
    return false;
  }
  const uploads = media.some((m) => typeof m.media !== "string");
  try {
    const sent = await callTelegram<Array<Record<string, unknown>>>(
      deps.telegram,
      "sendMediaGroup",
      { ...base, media: media.map((m) => ({ type: mediaGroupType(m.file.kind), media: m.media })) },
      uploads ? UPLOAD_TIMEOUT_MS : deps.timeoutMs,
    );
    for (const [i, m] of media.entries()) {
      const fileId = fileIdOf(sent[i]?.[mediaGroupType(m.file.kind)]);
      if (typeof m.media !== "string" && fileId) await remember(deps, m.file, fileId);
    }
    return true;
  } catch (err) {
    if (!(err instanceof DeliveryError && err.kind === "bad_request")) throw err;
    // File by file instead; each of those notes its own missing file.
    missing.length = before;
    return false;
  }
}

/** One file as its own message (a refused photo again as a document). */
async function sendOne(
  deps: FileSendDeps,
  base: Record<string, unknown>,
  file: Attachment,
  missing: string[],
) {
  const fileless = singleSend(file);
  if (fileless.fileless) {
    await callTelegram(deps.telegram, fileless.method, { ...base, ...fileless.params }, deps.timeoutMs);
    return;
  }
  const pending = file.tgFileId ? null : deps.uploads.get(file.id);
  const uploadedElsewhere = pending ? await pending : null;
  if (file.tgFileId || uploadedElsewhere) {
    await sendAs(deps, file, base, file.tgFileId ?? uploadedElsewhere ?? "");
    return;
  }
  // This send uploads; it is registered before its first await, so a send that starts
  // meanwhile waits for it instead of uploading too.
  const upload = (async () => {
    const media = await mediaOf(deps, file);
    if (media === null) return null;
    const fileId = await sendAs(deps, file, base, media);
    if (typeof media !== "string" && fileId) await remember(deps, file, fileId);
    return typeof media === "string" ? media : fileId;
  })();
  deps.uploads.set(
    file.id,
    upload.catch(() => null),
  );
  try {
    if ((await upload) === null) missing.push(file.fileName);
  } finally {
    deps.uploads.delete(file.id);
  }
}

/** Telegram's file_id when known (here, or stored by another send or instance), else the stored bytes. */
async function mediaOf(deps: FileSendDeps, file: Attachment): Promise<Media> {
  if (file.tgFileId) return file.tgFileId;
  const known = await deps.store.storedFileId(file.id);
  if (known) {
    file.tgFileId = known;
    return known;
  }
  const bytes = file.storagePath ? await deps.files?.get(file.storagePath) : null;
  return bytes ? { source: Buffer.from(bytes), filename: file.fileName } : null;
}

async function remember(deps: FileSendDeps, file: Attachment, fileId: string) {
  await deps.store.rememberFileId(file.id, fileId);
  file.tgFileId = fileId;
}

/** Sends one file as its kind (a refused photo again as a document); returns Telegram's file_id. */
async function sendAs(
  deps: FileSendDeps,
  file: Attachment,
  base: Record<string, unknown>,
  media: Exclude<Media, null>,
): Promise<string | null> {
  const send = singleSend(file);
  if (send.fileless) throw new Error(`${file.kind} is no file`);
  const { method, field } = send;
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
    // Kept as what Telegram took it as: a document's file_id is no photo's.
    file.kind = "document";
    await deps.store.keepAsDocument(file.id);
    return fileIdOf(sent.document);
  }
}

/** The sent message's copy of the file (a photo comes in sizes: the largest). */
const fileIdOf = (media: unknown) => {
  const sent = (Array.isArray(media) ? media.at(-1) : media) as { file_id?: string } | undefined;
  return sent?.file_id ?? null;
};
