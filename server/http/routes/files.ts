import { Hono } from "hono";
import { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import { getAttachment } from "../../domain/index.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { validated } from "../middleware/validate.js";

/**
 * Streams an attachment after the permission check: the stored copy when there
 * is one, else the bytes from Telegram (getFile, then the file URL).
 */
export function fileRoutes(deps: ApiDeps) {
  return new Hono<HttpEnv>().get("/:id", validated("param", z.object({ id: z.uuid() })), async (c) => {
    const file = await getAttachment({ ctx: c.get("svc"), input: { attachmentId: c.req.valid("param").id } });
    const headers = {
      "content-type": file.mimeType,
      "content-disposition": `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "cache-control": "private, max-age=3600",
      "x-content-type-options": "nosniff",
    };
    const store = c.get("svc").files;
    if (file.storagePath && store) {
      const bytes = await store.get(file.storagePath);
      if (bytes) return new Response(bytes as unknown as BodyInit, { headers });
    }
    if (file.tgFileId && deps.botToken) {
      const api = `${deps.telegramApiRoot}/bot${deps.botToken}`;
      const meta = (await fetch(`${api}/getFile?file_id=${encodeURIComponent(file.tgFileId)}`).then((r) =>
        r.json(),
      )) as {
        ok: boolean;
        result?: { file_path?: string };
      };
      if (meta.ok && meta.result?.file_path) {
        const upstream = await fetch(
          `${deps.telegramApiRoot}/file/bot${deps.botToken}/${meta.result.file_path}`,
        );
        if (upstream.ok && upstream.body) return new Response(upstream.body, { headers });
      }
    }
    throw new DomainError("NOT_FOUND", { entity: "file_bytes" });
  });
}
