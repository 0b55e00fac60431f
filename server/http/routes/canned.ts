import { Hono } from "hono";
import { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import {
  cannedFileFolder,
  createCannedReply,
  createCannedReplySchema,
  deleteCannedReply,
  getCannedReply,
  listCannedReplies,
  listCannedRepliesSchema,
  previewCannedReply,
  updateCannedBodySchema,
  updateCannedReply,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";
import { readUploads, withUploads } from "./message-input.js";

const idParam = z.object({ id: z.uuid() });
/** Files reach a reply only as an upload (POST /:id/files); JSON may keep or drop the ones it has. */
export const createCannedBodySchema = createCannedReplySchema.omit({ files: true });
export const previewCannedQuerySchema = z.object({ ticketId: z.uuid() });

/** The staff's canned replies: list and search, create, change, delete, upload files, preview on a ticket. */
export function cannedReplyRoutes() {
  return (
    new Hono<HttpEnv>()
      .get("/", validated("query", listCannedRepliesSchema), async (c) =>
        c.json(await listCannedReplies({ ctx: c.get("svc"), input: c.req.valid("query") })),
      )
      .post("/", validatedJson(createCannedBodySchema), async (c) =>
        c.json(await createCannedReply({ ctx: c.get("svc"), input: c.req.valid("json") }), 201),
      )
      .get("/:id", validated("param", idParam), async (c) =>
        c.json(await getCannedReply({ ctx: c.get("svc"), input: c.req.valid("param") })),
      )
      .patch("/:id", validated("param", idParam), validatedJson(updateCannedBodySchema), async (c) =>
        c.json(
          await updateCannedReply({
            ctx: c.get("svc"),
            input: { ...c.req.valid("json"), id: c.req.valid("param").id },
          }),
        ),
      )
      .delete("/:id", validated("param", idParam), async (c) => {
        await deleteCannedReply({ ctx: c.get("svc"), input: c.req.valid("param") });
        return c.body(null, 204);
      })
      // Multipart `files`: checked like a message's files, kept under the reply's folder, appended.
      .post("/:id/files", validated("param", idParam), async (c) => {
        const ctx = c.get("svc");
        const { id } = c.req.valid("param");
        const reply = await getCannedReply({ ctx, input: { id } });
        if (!reply.canManage) throw new DomainError("FORBIDDEN", { action: "canned_reply.update" });
        const uploads = await readUploads(c, cannedFileFolder(id));
        const added = uploads.attachments ?? [];
        if (!added.length)
          throw new DomainError("VALIDATION", {}, [
            { path: "files", code: "too_small", message: "no files" },
          ]);
        const files = [...reply.files, ...added];
        return c.json(
          await withUploads(c, uploads, () => updateCannedReply({ ctx, input: { id, files } })),
          201,
        );
      })
      .get(
        "/:id/preview",
        validated("param", idParam),
        validated("query", previewCannedQuerySchema),
        async (c) =>
          c.json(
            await previewCannedReply({
              ctx: c.get("svc"),
              input: { cannedReplyId: c.req.valid("param").id, ticketId: c.req.valid("query").ticketId },
            }),
          ),
      )
  );
}
