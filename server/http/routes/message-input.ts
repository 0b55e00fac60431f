import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { DomainError } from "../../domain/errors.js";
import { getTicket } from "../../domain/tickets/read.js";
import { maxFileBytes } from "../../domain/tickets/shared.js";
import type { HttpEnv } from "../env.js";

/** Allowed upload types: images, PDFs, office documents, text, archives (one plain type, no parameters). */
const ALLOWED_MIME =
  /^(image\/(png|jpeg|gif|webp|heic)|application\/(pdf|zip|msword|vnd\.openxmlformats-officedocument\.[\w.+-]+|vnd\.ms-excel)|text\/plain)$/;
/** Files one message may carry (the domain's own limit). */
const MAX_FILES = 20;

/**
 * A multipart reply's fields in the JSON body's shape (validated at the door by
 * the same schema): its words and whether it is a note. Files come only from the
 * upload itself, Telegram origins only from the bot.
 */
export function messageFormFields(form: FormData) {
  const body = form.get("body");
  return { body: typeof body === "string" ? body : "", internal: form.get("internal") === "true" };
}

/** A JSON object body, or VALIDATION (422) for anything else. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  try {
    const body = await c.req.json();
    if (body && typeof body === "object" && !Array.isArray(body)) return body;
  } catch {
    // fall through
  }
  throw new DomainError("VALIDATION", {}, [
    { path: "", code: "invalid_json", message: "a JSON object is expected" },
  ]);
}

/**
 * The files of a multipart reply or note (none for JSON): checked (count, type,
 * size) and kept in the file store before the domain call records them.
 */
export async function readMessageFiles(c: Context<HttpEnv>, ticketId: string) {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("multipart/form-data")) return {};
  const svc = c.get("svc");
  // The ticket must be one the caller may write in before any byte is kept.
  await getTicket({ ctx: svc, input: { ticketId } });
  // Already read (and refused when malformed) by the door's validator.
  const form = await c.req.formData();
  const files = form.getAll("files").filter((f): f is File => typeof f !== "string");
  if (files.length > MAX_FILES)
    throw new DomainError("VALIDATION", {}, [
      { path: "files", code: "too_big", message: `at most ${MAX_FILES}` },
    ]);
  const limit = await maxFileBytes(svc.db, svc);
  for (const file of files) {
    if (file.size > limit)
      throw new DomainError("LIMIT_EXCEEDED", { what: "file_size", limitBytes: limit, fileName: file.name });
    if (!ALLOWED_MIME.test(file.type)) {
      throw new DomainError("VALIDATION", {}, [
        { path: "files", code: "file_type", message: file.type || "unknown" },
      ]);
    }
  }
  // Only checked files are kept.
  const attachments = [];
  for (const file of files) {
    if (!svc.files) throw new DomainError("INTERNAL", { reason: "no_file_store" });
    const key = `${ticketId}/${randomUUID()}`;
    await svc.files.put(key, new Uint8Array(await file.arrayBuffer()));
    attachments.push({
      kind: file.type.startsWith("image/") ? "photo" : "document",
      fileName: file.name.slice(0, 255) || "file",
      mimeType: file.type,
      sizeBytes: file.size,
      storagePath: key,
    });
  }
  return { attachments };
}
