import { Hono } from "hono";
import { z } from "zod";
import type { ServiceContext } from "../../domain/context.js";
import {
  createBranch,
  createCategory,
  createLabel,
  getSettings,
  getUser,
  listBranches,
  listCategories,
  listLabels,
  listUsers,
  setActiveSchema,
  setBranchSchema,
  setLanguageSchema,
  setNotificationPrefs,
  setPrefsSchema,
  setRoleSchema,
  setSkillsSchema,
  setUserActive,
  setUserBranch,
  setUserLanguage,
  setUserRole,
  setUserSkills,
  updateBranch,
  updateCategory,
  updateLabel,
  updateSettings,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validJson } from "../middleware/validate.js";
import { publicUser } from "./auth.js";
import { jsonBody } from "./message-input.js";

const idParam = z.object({ id: z.uuid() });

/** PATCH /api/users/:id: the fields to change; each goes through its own verb. */
export const userPatchSchema = z.object({
  role: setRoleSchema.shape.role.optional(),
  branchId: setBranchSchema.shape.branchId.optional(),
  active: setActiveSchema.shape.active.optional(),
  skills: setSkillsSchema.shape.categoryIds.optional(),
  language: setLanguageSchema.shape.language.optional(),
});
/** PATCH /api/users/me/preferences. */
export const preferencesPatchSchema = z.object({
  language: setLanguageSchema.shape.language.optional(),
  notifyPrefs: setPrefsSchema.shape.prefs.optional(),
});
type Verb = (a: { ctx: ServiceContext; input: unknown }) => Promise<unknown>;

/** GET / (list), POST / (create), PATCH /:id (update) over one catalog entity. */
function crud(list: Verb, create: Verb, update: Verb) {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await list({ ctx: c.get("svc"), input: c.req.query() })))
    .post("/", async (c) => c.json(await create({ ctx: c.get("svc"), input: await jsonBody(c) }), 201))
    .patch("/:id", validated("param", idParam), async (c) =>
      c.json(
        await update({ ctx: c.get("svc"), input: { ...(await jsonBody(c)), id: c.req.valid("param").id } }),
      ),
    );
}

export const branchRoutes = () => crud(listBranches as Verb, createBranch, updateBranch);
export const categoryRoutes = () => crud(listCategories as Verb, createCategory, updateCategory);
export const labelRoutes = () => crud(listLabels as Verb, createLabel, updateLabel);

/**
 * Users: list and read (moderators their scope, admins all); PATCH applies the
 * fields given, each through its own verb (role, branch, active, skills, language).
 */
export function userRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) =>
      c.json((await listUsers({ ctx: c.get("svc"), input: c.req.query() })).map(publicUser)),
    )
    .get("/:id", validated("param", idParam), async (c) =>
      c.json(publicUser(await getUser({ ctx: c.get("svc"), input: { userId: c.req.valid("param").id } }))),
    )
    .patch("/me/preferences", async (c) => {
      const body = await validJson(c, preferencesPatchSchema);
      const svc = c.get("svc");
      let user = c.get("user");
      if (body.language !== undefined)
        user = await setUserLanguage({ ctx: svc, input: { language: body.language } });
      if (body.notifyPrefs !== undefined)
        user = await setNotificationPrefs({ ctx: svc, input: { prefs: body.notifyPrefs } });
      return c.json(publicUser(user));
    })
    .patch("/:id", validated("param", idParam), async (c) => {
      const userId = c.req.valid("param").id;
      const body = await validJson(c, userPatchSchema);
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
      return c.json(publicUser(user));
    });
}

export function settingsRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await getSettings({ ctx: c.get("svc") })))
    .patch("/", async (c) => c.json(await updateSettings({ ctx: c.get("svc"), input: await jsonBody(c) })));
}
