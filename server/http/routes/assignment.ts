import { Hono } from "hono";
import { z } from "zod";
import {
  deleteAssignmentPolicy,
  listAssignmentPolicies,
  setAssignmentPolicy,
  setAssignmentPolicySchema,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";

const idParam = z.object({ id: z.uuid() });

/**
 * GET / (any staff), PUT / (admins: the policy of the scope the body names, created
 * or replaced), DELETE /:id (admins): auto-assignment policies.
 */
export function assignmentPolicyRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await listAssignmentPolicies({ ctx: c.get("svc") })))
    .put("/", validatedJson(setAssignmentPolicySchema), async (c) =>
      c.json(await setAssignmentPolicy({ ctx: c.get("svc"), input: c.req.valid("json") })),
    )
    .delete("/:id", validated("param", idParam), async (c) => {
      await deleteAssignmentPolicy({ ctx: c.get("svc"), input: c.req.valid("param") });
      return c.body(null, 204);
    });
}
