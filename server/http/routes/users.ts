import { Hono } from "hono";
import { z } from "zod";
import type { User } from "../../../drizzle/schema/index.js";
import {
  createUser,
  createUserSchema,
  getUser,
  listUsers,
  listUsersSchema,
  setActiveSchema,
  setAway,
  setAwaySchema,
  setBranchSchema,
  setCapacitySchema,
  setLanguageSchema,
  setNotificationPrefs,
  setPrefsSchema,
  setRoleSchema,
  setSkillsSchema,
  setUserActive,
  setUserBranch,
  setUserCapacity,
  setUserLanguage,
  setUserRole,
  setUserSkills,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";
import { publicUser } from "./auth.js";

const idParam = z.object({ id: z.uuid() });

/** PATCH /api/users/:id: the fields to change; each goes through its own verb. */
export const userPatchSchema = z.object({
  role: setRoleSchema.shape.role.optional(),
  branchId: setBranchSchema.shape.branchId.optional(),
  active: setActiveSchema.shape.active.optional(),
  skills: setSkillsSchema.shape.categoryIds.optional(),
  language: setLanguageSchema.shape.language.optional(),
  maxOpenTickets: setCapacitySchema.shape.maxOpenTickets.optional(),
});
/** PATCH /api/users/me/preferences (away: staff only, available again when false). */
export const preferencesPatchSchema = z.object({
  language: setLanguageSchema.shape.language.optional(),
  notifyPrefs: setPrefsSchema.shape.prefs.optional(),
  away: setAwaySchema.shape.away.optional(),
});

/**
 * A user as the people screens show them: the public fields plus whether the
 * account is active and the categories they handle. Only these routes answer with
 * it, and their verbs return only oneself or people the actor manages.
 */
export function managedUser(u: User) {
  // Someone's notification choices are theirs alone (they read them on their own /me).
  const { notifyPrefs: _own, ...shown } = publicUser(u);
  return {
    ...shown,
    isActive: u.isActive,
    skills: u.skills,
    maxOpenTickets: u.maxOpenTickets,
    /** Banned or shadow-banned by a moderator (docs/OPERATIONS.md "Bot abuse"). */
    moderation: u.moderation,
  };
}

/**
 * Users: list and read (moderators their scope, admins all); POST registers someone
 * before their first message; PATCH applies the fields given, each through its own
 * verb (role, branch, active, skills, language, capacity).
 */
export function userRoutes() {
  return new Hono<HttpEnv>()
    .get("/", validated("query", listUsersSchema), async (c) =>
      c.json((await listUsers({ ctx: c.get("svc"), input: c.req.valid("query") })).map(managedUser)),
    )
    .post("/", validatedJson(createUserSchema), async (c) => {
      const body = c.req.valid("json");
      return c.json(managedUser(await createUser({ ctx: c.get("svc"), input: body })), 201);
    })
    .get("/:id", validated("param", idParam), async (c) =>
      c.json(managedUser(await getUser({ ctx: c.get("svc"), input: { userId: c.req.valid("param").id } }))),
    )
    .patch("/me/preferences", validatedJson(preferencesPatchSchema), async (c) => {
      const body = c.req.valid("json");
      const svc = c.get("svc");
      let user = c.get("user");
      if (body.language !== undefined)
        user = await setUserLanguage({ ctx: svc, input: { language: body.language } });
      if (body.notifyPrefs !== undefined)
        user = await setNotificationPrefs({ ctx: svc, input: { prefs: body.notifyPrefs } });
      if (body.away !== undefined) user = await setAway({ ctx: svc, input: { away: body.away } });
      return c.json(publicUser(user));
    })
    .patch("/:id", validated("param", idParam), validatedJson(userPatchSchema), async (c) => {
      const userId = c.req.valid("param").id;
      const body = c.req.valid("json");
      const ctx = c.get("svc");
      let user = await getUser({ ctx, input: { userId } });
      if (body.role !== undefined) user = await setUserRole({ ctx, input: { userId, role: body.role } });
      if (body.branchId !== undefined)
        user = await setUserBranch({ ctx, input: { userId, branchId: body.branchId } });
      if (body.active !== undefined)
        user = await setUserActive({ ctx, input: { userId, active: body.active } });
      if (body.skills !== undefined)
        user = await setUserSkills({ ctx, input: { userId, categoryIds: body.skills } });
      if (body.language !== undefined)
        user = await setUserLanguage({ ctx, input: { userId, language: body.language } });
      if (body.maxOpenTickets !== undefined)
        user = await setUserCapacity({ ctx, input: { userId, maxOpenTickets: body.maxOpenTickets } });
      return c.json(managedUser(user));
    });
}
