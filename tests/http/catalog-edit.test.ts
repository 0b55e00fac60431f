import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * A category's description and place in the list, as the Mini App's admin screen edits
 * them (PATCH /api/categories/:id): stored, audited, listed in the new order for every
 * picker (GET /api/categories and /api/meta), refused to non-admins and when out of range.
 */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let admin: string;
let agent: string;

type CategoryOut = { id: string; code: string; sortOrder: number; description: Record<string, string> };

beforeAll(async () => {
  w = world();
  const a = await api().login(940_001, "en");
  await w.db.update(users).set({ role: "admin" }).where(eq(users.id, a.user.id));
  admin = a.accessToken;
  const g = await api().login(940_002, "en");
  await w.db.update(users).set({ role: "agent" }).where(eq(users.id, g.user.id));
  agent = g.accessToken;
});

const listCodes = async (path: string) => {
  const res = await api().call(admin, "GET", path);
  const body = (await res.json()) as CategoryOut[] | { categories: CategoryOut[] };
  return (Array.isArray(body) ? body : body.categories).map((c) => c.code);
};

describe("editing a category's description and order", () => {
  it("stores the description per language and moves the category in every list", async () => {
    const created = await api().call(admin, "POST", "/api/categories", {
      code: "printing",
      name: { fa: "چاپ", en: "Printing" },
      sortOrder: 500,
    });
    expect(created.status).toBe(201);
    const printing = (await created.json()) as CategoryOut;
    expect((await listCodes("/api/categories")).at(-1)).toBe("printing");

    const res = await api().call(admin, "PATCH", `/api/categories/${printing.id}`, {
      description: { fa: "چاپگرها و کاغذ", en: "Printers and paper" },
      sortOrder: 0,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      sortOrder: 0,
      description: { fa: "چاپگرها و کاغذ", en: "Printers and paper" },
    });
    // Order 0: first, before the seeded categories (10 to 40).
    const codes = await listCodes("/api/categories");
    const meta = await listCodes("/api/meta");
    expect(codes[0]).toBe("printing");
    expect(meta).toEqual(codes);
    const audited = await w.db.select().from(auditLog).where(eq(auditLog.entityId, printing.id));
    expect(audited.map((a) => a.action)).toEqual(["category.create", "category.update"]);
    expect(audited[1].after).toMatchObject({ sortOrder: 0, description: { en: "Printers and paper" } });
  });

  it("refuses an order out of range with the field named, and an agent altogether", async () => {
    const [first] = (await (await api().call(admin, "GET", "/api/categories")).json()) as CategoryOut[];
    const bad = await api().call(admin, "PATCH", `/api/categories/${first.id}`, { sortOrder: -1 });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { issues: unknown[] }).issues).toEqual([
      expect.objectContaining({ path: "sortOrder", code: "too_small", limit: 0 }),
    ]);
    const long = await api().call(admin, "PATCH", `/api/categories/${first.id}`, {
      description: { en: "x".repeat(101) },
    });
    expect(long.status).toBe(422);
    const refused = await api().call(agent, "PATCH", `/api/categories/${first.id}`, { sortOrder: 3 });
    expect(refused.status).toBe(403);
  });
});
