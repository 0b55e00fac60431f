import { Hono } from "hono";
import { z } from "zod";
import type { ServiceContext } from "../../domain/context.js";
import {
  createBranch,
  createCategory,
  createLabel,
  getSettings,
  listBranches,
  listCategories,
  listLabels,
  updateBranch,
  updateCategory,
  updateLabel,
  updateSettings,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated } from "../middleware/validate.js";
import { jsonBody } from "./message-input.js";

const idParam = z.object({ id: z.uuid() });

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

export function settingsRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await getSettings({ ctx: c.get("svc") })))
    .patch("/", async (c) => c.json(await updateSettings({ ctx: c.get("svc"), input: await jsonBody(c) })));
}
