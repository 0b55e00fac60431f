import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import type { Attachment } from "../../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignBodySchema,
  assignTicket,
  bulkTicketsSchema,
  bulkUpdateTickets,
  changeStatusBodySchema,
  changeTicketStatus,
  createTicket,
  createTicketBodySchema,
  editMessageBodySchema,
  editTicketMessage,
  getTicket,
  getTicketHistory,
  getTriageChoices,
  listFilingCandidates,
  listQueueRows,
  listTicketMessages,
  listTicketsSchema,
  messageBodySchema,
  rateBodySchema,
  rateTicket,
  sendCannedBodySchema,
  sendCannedReply,
  updateTicket,
  updateTicketBodySchema,
  withSla,
} from "../../domain/index.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { idempotent } from "../middleware/idempotency.js";
import { validated, validatedJson } from "../middleware/validate.js";
import {
  messageFormFields,
  readMessageFiles,
  readUploads,
  ticketFormFields,
  withUploads,
} from "./message-input.js";
import { ifMatchOf, withEtag } from "./ticket-version.js";

const idParam = z.object({ id: z.uuid() });

/**
 * Attachments as a client sees them: where the bytes live (a storage key, a
 * Telegram file id) stays on the server; GET /api/files/:id serves them.
 */
function withoutStorage<T extends { attachments?: Attachment[] }>(item: T): T {
  if (!item.attachments) return item;
  return {
    ...item,
    attachments: item.attachments.map(({ storagePath: _s, tgFileId: _f, tgFileUniqueId: _u, ...a }) => a),
  } as T;
}

/** The queue and everything done to one ticket; each handler calls one domain verb. */
export function ticketRoutes(_deps: ApiDeps) {
  return (
    new Hono<HttpEnv>()
      .get("/", validated("query", listTicketsSchema), async (c) =>
        c.json(await listQueueRows({ ctx: c.get("svc"), input: c.req.valid("query") })),
      )
      // Files reach a ticket only as an upload (multipart, here or POST …/messages), never as JSON
      // the caller writes: the body schema has no attachments, so any sent are dropped at the door.
      .post(
        "/",
        idempotent(),
        validatedJson(createTicketBodySchema, { form: ticketFormFields }),
        async (c) => {
          const uploads = await readUploads(c, `new/${randomUUID()}`);
          const input = { ...c.req.valid("json"), ...uploads };
          const created = await withUploads(c, uploads, () => createTicket({ ctx: c.get("svc"), input }));
          return c.json(withSla(c.get("svc"), created), 201);
        },
      )
      // One action for many tickets (the queue's select mode): each through its single verb,
      // answered per ticket. Before /:id, like /requesters.
      .post("/bulk", validatedJson(bulkTicketsSchema), async (c) =>
        c.json(await bulkUpdateTickets({ ctx: c.get("svc"), input: c.req.valid("json") })),
      )
      // Before /:id, which would take "requesters" for an id. People staff may open a ticket for.
      .get("/requesters", async (c) =>
        c.json(await listFilingCandidates({ ctx: c.get("svc"), input: c.req.query() })),
      )
      .get("/:id", validated("param", idParam), async (c) => {
        const ticket = await getTicket({ ctx: c.get("svc"), input: { ticketId: c.req.valid("param").id } });
        return c.json(withoutStorage(withEtag(c, ticket)));
      })
      // The three changes take If-Match (the ETag of GET /:id): 412 when the ticket changed since.
      .patch("/:id", validated("param", idParam), validatedJson(updateTicketBodySchema), async (c) => {
        const input = { ...c.req.valid("json"), ticketId: c.req.valid("param").id, ifMatch: ifMatchOf(c) };
        return c.json(withEtag(c, withSla(c.get("svc"), await updateTicket({ ctx: c.get("svc"), input }))));
      })
      .patch("/:id/status", validated("param", idParam), validatedJson(changeStatusBodySchema), async (c) => {
        const input = { ...c.req.valid("json"), ticketId: c.req.valid("param").id, ifMatch: ifMatchOf(c) };
        return c.json(
          withEtag(c, withSla(c.get("svc"), await changeTicketStatus({ ctx: c.get("svc"), input }))),
        );
      })
      .patch("/:id/assignee", validated("param", idParam), validatedJson(assignBodySchema), async (c) => {
        const input = { ...c.req.valid("json"), ticketId: c.req.valid("param").id, ifMatch: ifMatchOf(c) };
        return c.json(withEtag(c, withSla(c.get("svc"), await assignTicket({ ctx: c.get("svc"), input }))));
      })
      // The requester's rating of the current resolution (and/or its comment), changeable for 24 h.
      .put("/:id/rating", validated("param", idParam), validatedJson(rateBodySchema), async (c) => {
        const input = { ...c.req.valid("json"), ticketId: c.req.valid("param").id };
        return c.json(withSla(c.get("svc"), await rateTicket({ ctx: c.get("svc"), input })));
      })
      // What the actor may pick for this ticket (assignees, statuses), so a screen offers only those.
      .get("/:id/choices", validated("param", idParam), async (c) => {
        const choices = await getTriageChoices({
          ctx: c.get("svc"),
          input: { ticketId: c.req.valid("param").id, limit: 200 },
        });
        return c.json({
          ...choices,
          assignees: choices.assignees.map((u) => ({
            id: u.id,
            firstName: u.firstName,
            lastName: u.lastName,
            username: u.username,
            role: u.role,
          })),
        });
      })
      .get("/:id/history", validated("param", idParam), async (c) =>
        c.json(await getTicketHistory({ ctx: c.get("svc"), input: { ticketId: c.req.valid("param").id } })),
      )
      .get("/:id/messages", validated("param", idParam), async (c) =>
        c.json(
          (await listTicketMessages({ ctx: c.get("svc"), input: { ticketId: c.req.valid("param").id } })).map(
            withoutStorage,
          ),
        ),
      )
      .post(
        "/:id/messages",
        validated("param", idParam),
        idempotent(),
        validatedJson(messageBodySchema, { form: messageFormFields }),
        async (c) => {
          const ticketId = c.req.valid("param").id;
          const uploads = await readMessageFiles(c, ticketId);
          const input = { ...c.req.valid("json"), ...uploads, ticketId, source: "miniapp" };
          // A refused message (a note by a requester, a closed door) leaves no bytes behind.
          const added = await withUploads(c, uploads, () => addTicketMessage({ ctx: c.get("svc"), input }));
          return c.json(added, 201);
        },
      )
      // An edit of one's own message (text only, 48 h): the domain checks author, scope and window.
      .patch(
        "/:id/messages/:messageId",
        validated("param", z.object({ id: z.uuid(), messageId: z.uuid() })),
        validatedJson(editMessageBodySchema),
        async (c) => {
          const { id, messageId } = c.req.valid("param");
          const input = { ...c.req.valid("json"), ticketId: id, messageId };
          return c.json(await editTicketMessage({ ctx: c.get("svc"), input }));
        },
      )
      // A canned reply rendered for this ticket's requester and added with its files as the actor's message.
      .post(
        "/:id/canned",
        validated("param", idParam),
        idempotent(),
        validatedJson(sendCannedBodySchema),
        async (c) => {
          const input = { ...c.req.valid("json"), ticketId: c.req.valid("param").id, source: "miniapp" };
          return c.json(await sendCannedReply({ ctx: c.get("svc"), input }), 201);
        },
      )
  );
}
