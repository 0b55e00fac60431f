import { Hono } from "hono";
import { z } from "zod";
import {
  EVENT_KINDS,
  LANGUAGES,
  NOTIFICATION_TYPES,
  PRIORITIES,
  ROLES,
  TICKET_STATUSES,
} from "../../../drizzle/schema/index.js";
import {
  deliveryBacklog,
  listBranches,
  listCategories,
  listFailedNotifications,
  listLabels,
  retryNotification,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated } from "../middleware/validate.js";

/** Everything the Mini App needs to draw its controls, in one request. */
export function metaRoutes() {
  return new Hono<HttpEnv>().get("/", async (c) => {
    const ctx = c.get("svc");
    return c.json({
      statuses: TICKET_STATUSES,
      priorities: PRIORITIES,
      roles: ROLES,
      languages: LANGUAGES,
      eventKinds: EVENT_KINDS,
      notificationTypes: NOTIFICATION_TYPES,
      // Inactive ones too (marked isActive: false): old tickets still carry them, and a screen
      // must name what a ticket has; pickers offer only the active ones.
      categories: await listCategories({ ctx, input: { includeInactive: true } }),
      labels: await listLabels({ ctx, input: { includeInactive: true } }),
      branches: await listBranches({ ctx }),
    });
  });
}

/**
 * For admins: notifications that could not be delivered and putting one back in
 * the queue; the chats delivery is behind on (?limit, ?minLagSeconds).
 */
export function notificationRoutes() {
  return new Hono<HttpEnv>()
    .get("/backlog", async (c) => c.json(await deliveryBacklog({ ctx: c.get("svc"), input: c.req.query() })))
    .get("/failed", async (c) =>
      c.json(await listFailedNotifications({ ctx: c.get("svc"), input: c.req.query() })),
    )
    .post("/:id/retry", validated("param", z.object({ id: z.uuid() })), async (c) =>
      c.json(
        await retryNotification({ ctx: c.get("svc"), input: { notificationId: c.req.valid("param").id } }),
      ),
    );
}
