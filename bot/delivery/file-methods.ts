import type { Attachment } from "../../server/domain/index.js";

export { groupForTelegram, MEDIA_GROUP_MAX } from "../../server/domain/index.js";

/** How one file goes out as its own message: the Bot API method and the field that carries it. */
const SINGLE: Record<string, { method: string; field: string }> = {
  photo: { method: "sendPhoto", field: "photo" },
  video: { method: "sendVideo", field: "video" },
  voice: { method: "sendVoice", field: "voice" },
  audio: { method: "sendAudio", field: "audio" },
  document: { method: "sendDocument", field: "document" },
  video_note: { method: "sendVideoNote", field: "video_note" },
  animation: { method: "sendAnimation", field: "animation" },
  sticker: { method: "sendSticker", field: "sticker" },
};

export type SingleSend =
  | { fileless: false; method: string; field: string }
  | { fileless: true; method: string; params: Record<string, unknown> };

/** The call that sends one attachment: a file by its field, or a location or contact by its facts. */
export function singleSend(file: Attachment): SingleSend {
  const meta = file.meta ?? {};
  if (file.kind === "location") {
    const point = { latitude: Number(meta.latitude), longitude: Number(meta.longitude) };
    // A venue (a named place) goes out as one, with its name and address.
    if (meta.title && meta.address)
      return {
        fileless: true,
        method: "sendVenue",
        params: { ...point, title: meta.title, address: meta.address },
      };
    return { fileless: true, method: "sendLocation", params: point };
  }
  if (file.kind === "contact") {
    const params = {
      phone_number: String(meta.phone ?? ""),
      first_name: String(meta.firstName ?? file.fileName),
      ...(meta.lastName ? { last_name: String(meta.lastName) } : {}),
    };
    return { fileless: true, method: "sendContact", params };
  }
  return { fileless: false, ...(SINGLE[file.kind] ?? SINGLE.document) };
}

/** The type a file has inside a media group's InputMedia. */
export const mediaGroupType = (kind: string) =>
  kind === "photo" || kind === "video" || kind === "audio" ? kind : "document";
