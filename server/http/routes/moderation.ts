import { Hono } from "hono";
import { z } from "zod";
import { moderateUser, moderateUserSchema } from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";
import { managedUser } from "./users.js";

const idParam = z.object({ id: z.uuid() });
/** PUT /api/users/:id/moderation: the state to set (the user comes from the path). */
export const moderationBodySchema = moderateUserSchema.omit({ userId: true });

/**
 * Ban, shadow-ban or unban ("none") a requester: moderators in their scope and
 * admins (moderateUser checks role and scope, and audits). Answers the user as
 * the people screens show them, with `moderation`.
 */
export function userModerationRoutes() {
  return new Hono<HttpEnv>().put(
    "/:id/moderation",
    validated("param", idParam),
    validatedJson(moderationBodySchema),
    async (c) => {
      const user = await moderateUser({
        ctx: c.get("svc"),
        input: { userId: c.req.valid("param").id, ...c.req.valid("json") },
      });
      return c.json(managedUser(user));
    },
  );
}

/** Its OpenAPI entry (server/http/routes/openapi.ts lists it with the others). */
export const moderationApiRoutes = [
  {
    method: "put" as const,
    path: "/api/users/{id}/moderation",
    summary:
      "Ban, shadow-ban or unban (state: banned | shadow | none) a requester, with an optional reason (moderators in their scope, admins; audited)",
    body: moderationBodySchema,
  },
];
