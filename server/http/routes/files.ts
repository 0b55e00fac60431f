import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import { getAttachment, opensInPlace } from "../../domain/index.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { validated } from "../middleware/validate.js";

/**
 * Streams an attachment after the permission check: the stored copy when there
 * is one, else the bytes from Telegram (getFile, then the file URL).
 */
export function fileRoutes(deps: ApiDeps) {
  return new Hono<HttpEnv>().get("/:id", validated("param", z.object({ id: z.uuid() })), async (c) => {
    const file = await getAttachment({ ctx: c.get("svc"), input: { attachmentId: c.req.valid("param").id } });
    // Pictures, audio and video open in place (the Mini App shows and plays them); anything
    // else downloads, as a type a browser will not run.
    const inPlace = opensInPlace(file.mimeType);
    const headers = {
      "content-type": inPlace ? file.mimeType : "application/octet-stream",
      "content-disposition": `${inPlace ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "cache-control": "private, max-age=3600",
      "x-content-type-options": "nosniff",
    };
    const store = c.get("svc").files;
    if (file.storagePath && store) {
      const bytes = await store.get(file.storagePath);
      if (bytes) return new Response(bytes as unknown as BodyInit, { headers });
    }
    if (file.tgFileId && deps.botToken) {
      const upstream = await fromTelegram(deps, file.tgFileId).catch((err) => {
        // Telegram unreachable or answering nonsense: a gateway problem, not ours.
        throw new HTTPException(502, { message: `Telegram did not give the file: ${String(err)}` });
      });
      if (upstream) return new Response(upstream, { headers });
    }
    throw new DomainError("NOT_FOUND", { entity: "file_bytes" });
  });
}

async function fromTelegram(deps: ApiDeps, fileId: string): Promise<ReadableStream | null> {
  const api = `${deps.telegramApiRoot}/bot${deps.botToken}`;
  const meta = (await fetch(`${api}/getFile?file_id=${encodeURIComponent(fileId)}`).then((r) =>
    r.json(),
  )) as {
    ok: boolean;
    result?: { file_path?: string };
  };
  if (!meta.ok || !meta.result?.file_path) return null;
  const upstream = await fetch(`${deps.telegramApiRoot}/file/bot${deps.botToken}/${meta.result.file_path}`);
  return upstream.ok ? upstream.body : null;
}
