import { Hono } from "hono";
import { z } from "zod";
import {
  createAutomationRule,
  createRuleSchema,
  deleteAutomationRule,
  listAutomationRules,
  updateAutomationRule,
  updateRuleSchema,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";

const idParam = z.object({ id: z.uuid() });

/** GET /, POST /, PATCH /:id, DELETE /:id (admins and owners): automation rules. */
export function automationRuleRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await listAutomationRules({ ctx: c.get("svc") })))
    .post("/", validatedJson(createRuleSchema), async (c) =>
      c.json(await createAutomationRule({ ctx: c.get("svc"), input: c.req.valid("json") }), 201),
    )
    .patch(
      "/:id",
      validated("param", idParam),
      validatedJson(updateRuleSchema.omit({ id: true })),
      async (c) =>
        c.json(
          await updateAutomationRule({
            ctx: c.get("svc"),
            input: { ...c.req.valid("json"), id: c.req.valid("param").id },
          }),
        ),
    )
    .delete("/:id", validated("param", idParam), async (c) => {
      await deleteAutomationRule({ ctx: c.get("svc"), input: c.req.valid("param") });
      return c.body(null, 204);
    });
}
