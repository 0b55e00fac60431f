import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { DomainError } from "../../domain/errors.js";
import {
  assertAttachmentsAccepted,
  createTicketBodySchema,
  getTicket,
  kindOfUpload,
  MAX_FILES_PER_MESSAGE,
  maxFileBytes,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";

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
 * size) and kept in the file store before the domain call records them. The
 * ticket must be one the caller may write in before any byte is kept.
 */
export async function readMessageFiles(c: Context<HttpEnv>, ticketId: string) {
  if (!isMultipart(c)) return {};
  await getTicket({ ctx: c.get("svc"), input: { ticketId } });
  return readUploads(c, ticketId);
}

/**
 * The fields of a multipart new ticket in the JSON body's shape (validated at the
 * door by the same schema); its files are read by readUploads.
 */
export function ticketFormFields(form: FormData) {
  const fields: Record<string, string> = {};
  // The JSON body's own fields: a field added to the schema is read from a form too.
  for (const name of Object.keys(createTicketBodySchema.shape)) {
    const value = form.get(name);
    if (typeof value === "string" && value !== "") fields[name] = value;
  }
  return fields;
}

const isMultipart = (c: Context) => (c.req.header("content-type") ?? "").includes("multipart/form-data");

/** Checked uploads kept under `folder` in the file store, as the domain's attachment inputs. */
export async function readUploads(c: Context<HttpEnv>, folder: string) {
  if (!isMultipart(c)) return {};
  const svc = c.get("svc");
  // Already read (and refused when malformed) by the door's validator.
  const form = await c.req.formData();
  const files = form.getAll("files").filter((f): f is File => typeof f !== "string");
  if (files.length > MAX_FILES_PER_MESSAGE)
    throw new DomainError("VALIDATION", {}, [
      { path: "files", code: "too_big", message: `at most ${MAX_FILES_PER_MESSAGE}` },
    ]);
  // The domain's one check (type per kind, size) before any byte is kept; it runs again as the files are recorded.
  const uploads = files.map((file) => ({
    file,
    kind: kindOfUpload(file.type),
    fileName: file.name.slice(0, 255) || "file",
    mimeType: file.type,
    sizeBytes: file.size,
  }));
  assertAttachmentsAccepted(uploads, await maxFileBytes(svc.db, svc));
  // Only checked files are kept; a store that fails half-way keeps none of them.
  const attachments: Array<(typeof uploads)[number] & { storagePath: string }> = [];
  try {
    for (const upload of uploads) {
      if (!svc.files) throw new DomainError("INTERNAL", { reason: "no_file_store" });
      const key = `${folder}/${randomUUID()}`;
      await svc.files.put(key, new Uint8Array(await upload.file.arrayBuffer()));
      attachments.push({ ...upload, storagePath: key });
    }
  } catch (err) {
    await Promise.all(attachments.map((a) => svc.files?.remove(a.storagePath).catch(() => {})));
    throw err;
  }
  return { attachments: attachments.map(({ file: _file, ...kept }) => kept) };
}

/** Runs a write with uploads kept for it; a refused write leaves no bytes behind. */
export async function withUploads<T>(
  c: Context<HttpEnv>,
  uploads: { attachments?: { storagePath: string }[] },
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const store = c.get("svc").files;
    await Promise.all((uploads.attachments ?? []).map((a) => store?.remove(a.storagePath).catch(() => {})));
    throw err;
  }
}
