import type { Message } from "telegraf/types";
import type { DraftFile } from "./session.js";

/**
 * The file a message carries, as an attachment draft (Telegram keeps the bytes;
 * we keep its file_id). null for text and for kinds we do not take (stickers,
 * polls, locations, …).
 */
export function fileOf(message: Message): DraftFile | null {
  if ("photo" in message && message.photo.length > 0) {
    const biggest = message.photo[message.photo.length - 1];
    return {
      kind: "photo",
      fileName: `photo-${message.message_id}.jpg`,
      mimeType: "image/jpeg",
      sizeBytes: biggest.file_size ?? 0,
      tgFileId: biggest.file_id,
      tgFileUniqueId: biggest.file_unique_id,
    };
  }
  if ("document" in message) {
    const d = message.document;
    return {
      kind: "document",
      fileName: d.file_name ?? `file-${message.message_id}`,
      mimeType: d.mime_type ?? "application/octet-stream",
      sizeBytes: d.file_size ?? 0,
      tgFileId: d.file_id,
      tgFileUniqueId: d.file_unique_id,
    };
  }
  if ("video" in message) {
    const v = message.video;
    return {
      kind: "video",
      fileName: v.file_name ?? `video-${message.message_id}.mp4`,
      mimeType: v.mime_type ?? "video/mp4",
      sizeBytes: v.file_size ?? 0,
      tgFileId: v.file_id,
      tgFileUniqueId: v.file_unique_id,
    };
  }
  if ("voice" in message) {
    const v = message.voice;
    return {
      kind: "voice",
      fileName: `voice-${message.message_id}.ogg`,
      mimeType: v.mime_type ?? "audio/ogg",
      sizeBytes: v.file_size ?? 0,
      tgFileId: v.file_id,
      tgFileUniqueId: v.file_unique_id,
    };
  }
  return null;
}

/** The words of a message: its text, or the caption of its media. */
export function textOf(message: Message): string | null {
  if ("text" in message) return message.text;
  if ("caption" in message && message.caption) return message.caption;
  return null;
}

/** Whether the message is something a ticket thread can hold. */
export const isStorable = (message: Message) => textOf(message) !== null || fileOf(message) !== null;
