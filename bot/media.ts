import type { Message } from "telegraf/types";
import { FILELESS_MIME } from "../server/domain/index.js";
import type { DraftFile } from "./session.js";

type TgFile = { file_id: string; file_unique_id: string; file_size?: number };
type Named = TgFile & { file_name?: string; mime_type?: string };

const draft = (kind: DraftFile["kind"], f: TgFile, fileName: string, mimeType: string): DraftFile => ({
  kind,
  fileName,
  mimeType,
  sizeBytes: f.file_size ?? 0,
  tgFileId: f.file_id,
  tgFileUniqueId: f.file_unique_id,
});

/**
 * The attachment a message carries, as a draft: Telegram keeps the bytes, we keep
 * its file_id (a location or contact keeps its facts in `meta`). null for text and
 * for the kinds a ticket does not take (refusedKindOf names them). An animation
 * also carries a `document` field, so it is looked at first.
 */
export function fileOf(message: Message): DraftFile | null {
  const m = message as Message & Record<string, unknown>;
  const id = message.message_id;
  if ("photo" in message && message.photo.length > 0)
    return draft("photo", message.photo[message.photo.length - 1], `photo-${id}.jpg`, "image/jpeg");
  if ("animation" in message) {
    const a = m.animation as Named;
    return draft("animation", a, a.file_name ?? `animation-${id}.mp4`, a.mime_type ?? "video/mp4");
  }
  if ("document" in message) {
    const d = message.document;
    return draft("document", d, d.file_name ?? `file-${id}`, d.mime_type ?? "application/octet-stream");
  }
  if ("video" in message) {
    const v = message.video;
    return draft("video", v, v.file_name ?? `video-${id}.mp4`, v.mime_type ?? "video/mp4");
  }
  if ("video_note" in message)
    return draft("video_note", message.video_note, `video-note-${id}.mp4`, "video/mp4");
  if ("voice" in message)
    return draft("voice", message.voice, `voice-${id}.ogg`, message.voice.mime_type ?? "audio/ogg");
  if ("audio" in message) {
    const a = message.audio;
    return draft("audio", a, a.file_name ?? `audio-${id}.mp3`, a.mime_type ?? "audio/mpeg");
  }
  if ("sticker" in message) {
    const s = message.sticker;
    const mime = s.is_animated ? "application/x-tgsticker" : s.is_video ? "video/webm" : "image/webp";
    return draft("sticker", s, `sticker-${id}${s.emoji ? `-${s.emoji}` : ""}`, mime);
  }
  if ("location" in message) return locationOf(message);
  if ("contact" in message) {
    const c = message.contact;
    const name = [c.first_name, c.last_name].filter(Boolean).join(" ");
    return {
      kind: "contact",
      fileName: name || c.phone_number,
      mimeType: FILELESS_MIME.contact,
      sizeBytes: 0,
      meta: {
        phone: c.phone_number,
        firstName: c.first_name,
        ...(c.last_name ? { lastName: c.last_name } : {}),
      },
    };
  }
  return null;
}

/** A location, or a venue (a named place): its point, and the venue's name and address. */
function locationOf(message: Message.LocationMessage | Message.VenueMessage): DraftFile {
  const venue = "venue" in message ? message.venue : undefined;
  const { latitude, longitude } = message.location;
  return {
    kind: "location",
    fileName: venue?.title ?? `${latitude.toFixed(5)},${longitude.toFixed(5)}`,
    mimeType: FILELESS_MIME.location,
    sizeBytes: 0,
    meta: { latitude, longitude, ...(venue ? { title: venue.title, address: venue.address } : {}) },
  };
}

/** Kinds of message a ticket does not take, by the key of their translated name. */
const REFUSED = ["poll", "dice", "game", "story", "invoice", "paid_media", "giveaway", "checklist"] as const;
export type RefusedKind = (typeof REFUSED)[number] | "other";

/** What kind of message this is, when a ticket cannot hold it (for the translated refusal). */
export function refusedKindOf(message: Message): RefusedKind | null {
  if (isStorable(message)) return null;
  return REFUSED.find((k) => k in message) ?? "other";
}

/** The words of a message: its text, or the caption of its media. */
export function textOf(message: Message): string | null {
  if ("text" in message) return message.text;
  if ("caption" in message && message.caption) return message.caption;
  return null;
}

/** Whether the message is something a ticket thread can hold. */
export const isStorable = (message: Message) => textOf(message) !== null || fileOf(message) !== null;
