import type { UploadedFile } from "./parse.js";

/** Real-shaped Bot API objects, kept small: the fields the product reads. */
export const BOT_USER = {
  id: 7000001,
  is_bot: true,
  first_name: "Helpdesk",
  username: "helpdesk_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: true,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

export type Params = Record<string, unknown>;

export function chatOf(chatId: number, known?: Record<string, unknown>) {
  if (known) return known;
  if (chatId > 0) return { id: chatId, type: "private", first_name: `User ${chatId}` };
  return { id: chatId, type: "supergroup", title: `Group ${chatId}` };
}

let fileCounter = 0;
export function fileIds(prefix: string) {
  fileCounter++;
  return { file_id: `${prefix}${fileCounter}AAQC`, file_unique_id: `U${prefix}${fileCounter}` };
}

/** The media part of a sent message: uploads get fresh file ids, file_id strings are echoed. */
export function mediaOf(method: string, p: Params, files: UploadedFile[]): Record<string, unknown> {
  const upload = (field: string) => files.find((f) => f.field === field);
  const idOf = (field: string, prefix: string) =>
    typeof p[field] === "string" && !String(p[field]).startsWith("attach://")
      ? { file_id: String(p[field]), file_unique_id: `U${String(p[field]).slice(0, 8)}` }
      : fileIds(prefix);
  switch (method) {
    case "sendPhoto": {
      const ids = idOf("photo", "AgAC");
      return {
        photo: [{ ...ids, width: 320, height: 240, file_size: upload("photo")?.bytes.length ?? 1000 }],
      };
    }
    case "sendDocument": {
      const f = upload("document");
      return {
        document: {
          ...idOf("document", "BQAC"),
          file_name: f?.fileName ?? "file.bin",
          mime_type: f?.mimeType ?? "application/octet-stream",
          file_size: f?.bytes.length ?? 1000,
        },
      };
    }
    case "sendVideo":
      return { video: { ...idOf("video", "BAAC"), width: 640, height: 360, duration: 3 } };
    case "sendVoice":
      return { voice: { ...idOf("voice", "AwAC"), duration: 2, mime_type: "audio/ogg" } };
    case "sendAudio":
      return { audio: { ...idOf("audio", "CQAC"), duration: 30, mime_type: "audio/mpeg" } };
    case "sendVideoNote":
      return { video_note: { ...idOf("video_note", "DQAC"), length: 240, duration: 4 } };
    case "sendAnimation":
      return { animation: { ...idOf("animation", "CgAC"), width: 320, height: 240, duration: 2 } };
    case "sendSticker":
      return {
        sticker: {
          ...idOf("sticker", "CAAC"),
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
        },
      };
    default:
      return {};
  }
}
