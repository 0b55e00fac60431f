import { DomainError } from "../errors.js";

/**
 * What a ticket thread keeps besides words. Telegram sends each as its own kind of
 * message; the Mini App uploads files. Location and contact carry no bytes: their
 * facts are in the attachment's `meta`.
 */
export const ATTACHMENT_KINDS = [
  "photo",
  "document",
  "video",
  "voice",
  "audio",
  "video_note",
  "animation",
  "sticker",
  "location",
  "contact",
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** Kinds that are no file: nothing to size, download or store. */
export const FILELESS_KINDS: readonly AttachmentKind[] = ["location", "contact"];

const IMAGE = /^image\/(png|jpeg|gif|webp|heic)$/;
const VIDEO = /^video\/(mp4|webm|quicktime|mpeg)$/;
const AUDIO = /^audio\/(ogg|opus|mpeg|mp3|mp4|m4a|x-m4a|aac|wav|x-wav|flac|webm)$/;
/** Documents: pictures, PDFs, office files, text, archives, and the media types above sent as files. */
const DOCUMENT =
  /^(image\/(png|jpeg|gif|webp|heic)|video\/(mp4|webm|quicktime|mpeg)|audio\/[\w.+-]+|application\/(pdf|zip|x-zip-compressed|msword|rtf|vnd\.oasis\.opendocument\.[\w.+-]+|vnd\.openxmlformats-officedocument\.[\w.+-]+|vnd\.ms-excel|vnd\.ms-powerpoint)|text\/(plain|csv))$/;

/** The types a kind may have; the same rule for a file from Telegram and one uploaded in the Mini App. */
const ALLOWED: Record<AttachmentKind, RegExp> = {
  photo: IMAGE,
  document: DOCUMENT,
  video: VIDEO,
  video_note: VIDEO,
  animation: /^(video\/mp4|image\/gif)$/,
  voice: AUDIO,
  audio: AUDIO,
  sticker: /^(image\/webp|application\/x-tgsticker|video\/webm)$/,
  location: /^application\/vnd\.geo\+json$/,
  contact: /^text\/vcard$/,
};

/** "Image/PNG; x=y" → "image/png": the type without its parameters, as the rules compare it. */
const plainType = (mimeType: string) => mimeType.toLowerCase().split(";")[0].trim();

/** The MIME type the product records for the file-less kinds. */
export const FILELESS_MIME = { location: "application/vnd.geo+json", contact: "text/vcard" } as const;

export interface AttachmentFacts {
  kind: AttachmentKind;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
}

/** Why a file is refused, in the terms each door words for its reader. */
export type AttachmentRefusal =
  | { reason: "file_size"; fileName: string; limitBytes: number; sizeBytes: number }
  | { reason: "file_type"; fileName: string; mimeType: string };

/** The one check every door's files pass: the kind's types and the size limit. null: accepted. */
export function attachmentRefusal(file: AttachmentFacts, limitBytes: number): AttachmentRefusal | null {
  const mime = plainType(file.mimeType);
  if (!ALLOWED[file.kind].test(mime))
    return { reason: "file_type", fileName: file.fileName, mimeType: file.mimeType };
  if (!FILELESS_KINDS.includes(file.kind) && file.sizeBytes > limitBytes)
    return { reason: "file_size", fileName: file.fileName, limitBytes, sizeBytes: file.sizeBytes };
  return null;
}

/** attachmentRefusal as the domain's error: 413 for size, 422 naming the file for its type. */
export function assertAttachmentsAccepted(files: AttachmentFacts[], limitBytes: number): void {
  for (const file of files) {
    const refusal = attachmentRefusal(file, limitBytes);
    if (refusal?.reason === "file_size")
      throw new DomainError("LIMIT_EXCEEDED", {
        what: "file_size",
        limitBytes,
        fileName: file.fileName,
      });
    if (refusal?.reason === "file_type")
      throw new DomainError(
        "VALIDATION",
        { what: "file_type", fileName: file.fileName, mimeType: file.mimeType },
        [{ path: "files", code: "file_type", message: `${file.fileName}: ${file.mimeType || "unknown"}` }],
      );
  }
}

/** The kind an uploaded file is kept as, from its type: shown and relayed as what it is. */
export function kindOfUpload(mimeType: string): AttachmentKind {
  const mime = plainType(mimeType);
  if (IMAGE.test(mime)) return "photo";
  if (VIDEO.test(mime)) return "video";
  if (AUDIO.test(mime)) return "audio";
  return "document";
}

/**
 * Whether an attachment's bytes may be shown in place (pictures, audio, video: the
 * Mini App shows and plays them) rather than only downloaded as a type a browser
 * will not run.
 */
export const opensInPlace = (mimeType: string) =>
  /^(image\/(png|jpeg|gif|webp)|(audio|video)\/[\w.+-]+)$/.test(mimeType);
