import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../drizzle/schema/index.js";
import { listAudit, updateSettings } from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

/** The audit log as admins read it: filters, newest first, pages that neither skip nor repeat. */
const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const at = (iso: string) => new Date(iso);

describe("listAudit", () => {
  it("is for admins and owners only", async () => {
    for (const role of ["requester", "agent", "moderator", "auditor"] as const) {
      expect(await outcome(listAudit({ ctx: w.ctx(await w.user(role)), input: {} })), role).toBe("FORBIDDEN");
    }
    for (const role of ["admin", "owner"] as const)
      expect(await outcome(listAudit({ ctx: w.ctx(await w.user(role)), input: {} })), role).toBe("ok");
  });

  it("shows what a verb audited, with who did it", async () => {
    const admin = await w.user("admin");
    await updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: 72 } });
    const page = await listAudit({ ctx: w.ctx(admin), input: { actorId: admin.id } });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ actorId: admin.id, actorName: admin.firstName, entity: "setting" });
  });

  it("pages newest first through entries written in the same instant, each once", async () => {
    const admin = await w.user("admin");
    const entity = `page-test-${Date.now()}`;
    const same = at("2026-05-01T10:00:00.000Z");
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => ({ createdAt: same, entityId: `same-${i}` })),
      { createdAt: at("2026-05-01T11:00:00.000Z"), entityId: "newest" },
      { createdAt: at("2026-05-01T09:00:00.000Z"), entityId: "oldest" },
    ];
    await w.db
      .insert(auditLog)
      .values(rows.map((r) => ({ ...r, actorId: admin.id, action: "test.write", entity })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAudit({ ctx: w.ctx(admin), input: { entity, limit: 2, cursor } });
      seen.push(...page.items.map((e) => e.entityId ?? ""));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen[0]).toBe("newest");
    expect(seen.at(-1)).toBe("oldest");
  });

  it("filters by actor, entity, entity id and a time range", async () => {
    const admin = await w.user("admin");
    const other = await w.user("owner");
    const entity = `filter-test-${Date.now()}`;
    await w.db.insert(auditLog).values([
      { actorId: admin.id, action: "a", entity, entityId: "x", createdAt: at("2026-06-01T08:00:00Z") },
      { actorId: other.id, action: "b", entity, entityId: "x", createdAt: at("2026-06-02T08:00:00Z") },
      { actorId: admin.id, action: "c", entity, entityId: "y", createdAt: at("2026-06-03T08:00:00Z") },
      {
        actorId: admin.id,
        action: "d",
        entity: `${entity}-else`,
        entityId: "x",
        createdAt: at("2026-06-02T09:00:00Z"),
      },
    ]);
    const actions = async (input: Record<string, unknown>) =>
      (await listAudit({ ctx: w.ctx(admin), input })).items.map((e) => e.action);
    expect(await actions({ entity })).toEqual(["c", "b", "a"]);
    expect(await actions({ entity, actorId: other.id })).toEqual(["b"]);
    expect(await actions({ entity, entityId: "x" })).toEqual(["b", "a"]);
    expect(await actions({ entity, from: "2026-06-02T00:00:00Z", to: "2026-06-03T00:00:00Z" })).toEqual([
      "b",
    ]);
    expect(
      await actions({ entityId: "x", from: "2026-06-02T00:00:00Z", to: "2026-06-03T00:00:00Z" }),
    ).toEqual(["d", "b"]);
  });

  it("refuses a cursor it did not make as invalid input", async () => {
    const admin = await w.user("admin");
    for (const cursor of ["nope", Buffer.from('["2026-01-01; drop", "x"]').toString("base64url")])
      expect(await outcome(listAudit({ ctx: w.ctx(admin), input: { cursor } }))).toBe("VALIDATION");
  });
});
