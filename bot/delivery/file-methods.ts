import type { Attachment } from "../../server/domain/index.js";

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

/** Which media group a kind can join: Telegram mixes photos and videos, and keeps documents and audio apart. */
const GROUP_OF: Record<string, "visual" | "document" | "audio" | undefined> = {
  photo: "visual",
  video: "visual",
  document: "document",
  audio: "audio",
};
/** Telegram's largest media group. */
export const MEDIA_GROUP_MAX = 10;

/** The type a file has inside a media group's InputMedia. */
export const mediaGroupType = (kind: string) =>
  kind === "photo" || kind === "video" || kind === "audio" ? kind : "document";

/**
 * The files in the order given, cut into the sends they take: runs of kinds that
 * share a media group (up to 10 each), and every other file alone.
 */
export function groupForTelegram(files: Attachment[]): Attachment[][] {
  const sends: Attachment[][] = [];
  let run: Attachment[] = [];
  let runGroup: string | undefined;
  for (const file of files) {
    const group = GROUP_OF[file.kind];
    if (run.length > 0 && (group === undefined || group !== runGroup || run.length === MEDIA_GROUP_MAX)) {
      sends.push(run);
      run = [];
    }
    if (group === undefined) sends.push([file]);
    else {
      run.push(file);
      runGroup = group;
    }
  }
  if (run.length > 0) sends.push(run);
  return sends;
}
