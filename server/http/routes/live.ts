import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { users } from "../../../drizzle/schema/index.js";
import {
  acceptLive,
  askLive,
  askLiveSchema,
  declineLive,
  endLive,
  getLiveReport,
  leaveLiveQueue,
  liveBoard,
  liveChatOfTicket,
  myLiveChats,
  myOpenLiveChat,
  reportQuerySchema,
  setLivePresence,
  setLivePresenceSchema,
  signalLiveTyping,
  takeOverLive,
  transferLive,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";

const chatParam = z.object({ id: z.uuid() });
const transferBody = z.object({ operatorId: z.uuid() });
const ticketParam = z.object({ ticketId: z.uuid() });

/**
 * GET/PUT /api/presence: one's own live chat presence (online, busy, offline) and
 * capacity. PUT for staff only; going online gives the queue a turn.
 */
export function presenceRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => {
      const svc = c.get("svc");
      const [me] = await svc.db
        .select({
          presence: users.presence,
          liveCapacity: users.liveCapacity,
          lastActiveAt: users.lastActiveAt,
        })
        .from(users)
        .where(eq(users.id, svc.actor.id ?? ""));
      return c.json(me ?? { presence: "offline", liveCapacity: null, lastActiveAt: null });
    })
    .put("/", validatedJson(setLivePresenceSchema), async (c) => {
      const user = await setLivePresence({ ctx: c.get("svc"), input: c.req.valid("json") });
      return c.json({
        presence: user.presence,
        liveCapacity: user.liveCapacity,
        lastActiveAt: user.lastActiveAt,
      });
    });
}

/**
 * /api/live (docs/LIVE.md): the supervisors' board (GET /queue: chats waiting and
 * talking in scope, staff online), an operator's own (GET /mine), asking (POST
 * /ask), and one chat's moves: accept, decline, leave, end, take over, transfer.
 * GET /report: queue wait, handle time and abandoned chats (the reports' query).
 * The Mini App's chat view: GET /current (the requester's open chat), GET
 * /ticket/:ticketId (a ticket's chat and the viewer's side), POST /:id/typing.
 */
export function liveRoutes() {
  return new Hono<HttpEnv>()
    .get("/queue", async (c) => c.json(await liveBoard({ ctx: c.get("svc") })))
    .get("/mine", async (c) => c.json(await myLiveChats({ ctx: c.get("svc") })))
    .get("/current", async (c) => c.json({ chat: await myOpenLiveChat({ ctx: c.get("svc") }) }))
    .get("/ticket/:ticketId", validated("param", ticketParam), async (c) =>
      c.json({ chat: await liveChatOfTicket({ ctx: c.get("svc"), input: c.req.valid("param") }) }),
    )
    .get("/report", validated("query", reportQuerySchema), async (c) =>
      c.json(await getLiveReport({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .post("/ask", validatedJson(askLiveSchema), async (c) =>
      c.json(await askLive({ ctx: c.get("svc"), input: c.req.valid("json") })),
    )
    .post("/:id/accept", validated("param", chatParam), async (c) =>
      c.json(await acceptLive({ ctx: c.get("svc"), input: { chatId: c.req.valid("param").id } })),
    )
    .post("/:id/decline", validated("param", chatParam), async (c) =>
      c.json(await declineLive({ ctx: c.get("svc"), input: { chatId: c.req.valid("param").id } })),
    )
    .post("/:id/leave", validated("param", chatParam), async (c) =>
      c.json(await leaveLiveQueue({ ctx: c.get("svc"), input: { chatId: c.req.valid("param").id } })),
    )
    .post("/:id/end", validated("param", chatParam), async (c) =>
      c.json(await endLive({ ctx: c.get("svc"), input: { chatId: c.req.valid("param").id } })),
    )
    .post("/:id/typing", validated("param", chatParam), async (c) =>
      c.json(await signalLiveTyping({ ctx: c.get("svc"), input: { chatId: c.req.valid("param").id } })),
    )
    .post("/:id/takeover", validated("param", chatParam), async (c) =>
      c.json(await takeOverLive({ ctx: c.get("svc"), input: { chatId: c.req.valid("param").id } })),
    )
    .post("/:id/transfer", validated("param", chatParam), validatedJson(transferBody), async (c) =>
      c.json(
        await transferLive({
          ctx: c.get("svc"),
          input: { chatId: c.req.valid("param").id, operatorId: c.req.valid("json").operatorId },
        }),
      ),
    );
}
