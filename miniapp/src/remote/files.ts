import { errorOf } from "../api.js";
import type { Session } from "./session.js";

/**
 * Attachments are fetched with the session's Bearer token (a plain link would carry
 * none, and <img src> cannot send it), then shown from memory. The session renews
 * an expired token once and repeats the request.
 */
async function fetchFile(session: Session, id: string): Promise<Response> {
  const res = await session.fetch(`/api/files/${id}`);
  if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
  return res;
}

/** An attachment as a blob of its own type, for a picture shown or a recording played in place. */
export async function fileBlob(session: Session, id: string, mimeType: string): Promise<Blob> {
  const res = await fetchFile(session, id);
  return new Blob([await res.arrayBuffer()], { type: mimeType });
}

/** Opens an attachment: pictures in a new tab, other files downloaded under their name. */
export async function openFile(session: Session, id: string, fileName: string): Promise<void> {
  const res = await fetchFile(session, id);
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  if (res.headers.get("content-type")?.startsWith("image/")) link.target = "_blank";
  else link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
