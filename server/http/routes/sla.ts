import { Hono } from "hono";
import { z } from "zod";
import {
  createBusinessCalendar,
  createCalendarSchema,
  createSlaPolicy,
  createSlaPolicySchema,
  deleteBusinessCalendar,
  deleteSlaPolicy,
  listBusinessCalendars,
  listSlaPolicies,
  updateBusinessCalendar,
  updateCalendarSchema,
  updateSlaPolicy,
  updateSlaPolicySchema,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";

const idParam = z.object({ id: z.uuid() });

/** GET / (any staff), POST /, PATCH /:id, DELETE /:id (admins and owners): SLA policies. */
export function slaPolicyRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await listSlaPolicies({ ctx: c.get("svc") })))
    .post("/", validatedJson(createSlaPolicySchema), async (c) =>
      c.json(await createSlaPolicy({ ctx: c.get("svc"), input: c.req.valid("json") }), 201),
    )
    .patch(
      "/:id",
      validated("param", idParam),
      validatedJson(updateSlaPolicySchema.omit({ id: true })),
      async (c) =>
        c.json(
          await updateSlaPolicy({
            ctx: c.get("svc"),
            input: { ...c.req.valid("json"), id: c.req.valid("param").id },
          }),
        ),
    )
    .delete("/:id", validated("param", idParam), async (c) => {
      await deleteSlaPolicy({ ctx: c.get("svc"), input: c.req.valid("param") });
      return c.body(null, 204);
    });
}

/** The same for business calendars; POST takes a preset ("iran", "mon_fri") and Jalali holidays. */
export function businessCalendarRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await listBusinessCalendars({ ctx: c.get("svc") })))
    .post("/", validatedJson(createCalendarSchema), async (c) =>
      c.json(await createBusinessCalendar({ ctx: c.get("svc"), input: c.req.valid("json") }), 201),
    )
    .patch(
      "/:id",
      validated("param", idParam),
      validatedJson(updateCalendarSchema.omit({ id: true })),
      async (c) =>
        c.json(
          await updateBusinessCalendar({
            ctx: c.get("svc"),
            input: { ...c.req.valid("json"), id: c.req.valid("param").id },
          }),
        ),
    )
    .delete("/:id", validated("param", idParam), async (c) => {
      await deleteBusinessCalendar({ ctx: c.get("svc"), input: c.req.valid("param") });
      return c.body(null, 204);
    });
}
