import { Hono } from "hono";
import { z } from "zod";
import type { ServiceContext } from "../../domain/context.js";
import {
  createBranch,
  createBranchSchema,
  createCategory,
  createCategorySchema,
  createLabel,
  createLabelSchema,
  getSettings,
  listBranches,
  listCatalogSchema,
  listCategories,
  listLabels,
  updateBranch,
  updateBranchSchema,
  updateCategory,
  updateCategorySchema,
  updateLabel,
  updateLabelSchema,
  updateSettings,
  updateSettingsSchema,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";

const idParam = z.object({ id: z.uuid() });

type Verb<Out> = (a: { ctx: ServiceContext; input: unknown }) => Promise<Out>;

/**
 * GET / (list), POST / (create), PATCH /:id (update) over one catalog entity; the
 * bodies are checked at the door with the verbs' own schemas (the id comes from the path).
 * Typed by the entity's row, so the Mini App's typed client reads what each answers.
 */
function crud<Row, C extends z.ZodType, U extends z.ZodType>(
  verbs: { list: Verb<Row[]>; create: Verb<Row>; update: Verb<Row> },
  /** `update` without the id (it comes from the path), concrete so the body's type reaches AppType. */
  schemas: { create: C; update: U },
) {
  return new Hono<HttpEnv>()
    .get("/", validated("query", listCatalogSchema), async (c) =>
      c.json(await verbs.list({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .post("/", validatedJson(schemas.create), async (c) =>
      c.json(await verbs.create({ ctx: c.get("svc"), input: c.req.valid("json") }), 201),
    )
    .patch("/:id", validated("param", idParam), validatedJson(schemas.update), async (c) =>
      c.json(
        await verbs.update({
          ctx: c.get("svc"),
          input: { ...(c.req.valid("json") as object), id: c.req.valid("param").id },
        }),
      ),
    );
}

export const branchRoutes = () =>
  crud(
    { list: listBranches, create: createBranch, update: updateBranch },
    { create: createBranchSchema, update: updateBranchSchema.omit({ id: true }) },
  );
export const categoryRoutes = () =>
  crud(
    { list: listCategories, create: createCategory, update: updateCategory },
    { create: createCategorySchema, update: updateCategorySchema.omit({ id: true }) },
  );
export const labelRoutes = () =>
  crud(
    { list: listLabels, create: createLabel, update: updateLabel },
    { create: createLabelSchema, update: updateLabelSchema.omit({ id: true }) },
  );

export function settingsRoutes() {
  return new Hono<HttpEnv>()
    .get("/", async (c) => c.json(await getSettings({ ctx: c.get("svc") })))
    .patch("/", validatedJson(updateSettingsSchema), async (c) =>
      c.json(await updateSettings({ ctx: c.get("svc"), input: c.req.valid("json") })),
    );
}
