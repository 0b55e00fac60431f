import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, categories } from "../../drizzle/schema/index.js";
import {
  createBranch,
  createCategory,
  createLabel,
  createTicket,
  deactivateCategory,
  getSettings,
  listCategories,
  listLabels,
  seedDefaults,
  updateLabel,
  updateSettings,
  updateTicket,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const code = outcome;

describe("catalog", () => {
  it("seeds the four default categories in fa, en and ru, idempotently", async () => {
    await seedDefaults(w.db);
    await seedDefaults(w.db);
    const rows = await w.db.select().from(categories);
    expect(rows.map((c) => c.code).sort()).toEqual(["equipment", "network", "other", "software"]);
    for (const c of rows) {
      expect(c.name.fa && c.name.en && c.name.ru && c.emoji).toBeTruthy();
    }
  });

  it("lets only admins write, audits writes, and refuses duplicates as CONFLICT", async () => {
    const admin = await w.user("admin");
    for (const role of ["requester", "agent", "moderator", "auditor"] as const) {
      const actor = await w.user(role);
      expect(await code(createLabel({ ctx: w.ctx(actor), input: { name: `x-${role}` } }))).toBe("FORBIDDEN");
    }
    const label = await createLabel({ ctx: w.ctx(admin), input: { name: "VIP", color: "#FF0000" } });
    expect(await code(createLabel({ ctx: w.ctx(admin), input: { name: "VIP" } }))).toBe("CONFLICT");
    expect(
      await code(createBranch({ ctx: w.ctx(admin), input: { code: "Bad Code!", name: { fa: "x" } } })),
    ).toBe("VALIDATION");
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, label.id));
    expect(audit.map((a) => a.action)).toEqual(["label.create"]);
    // A rename leaves the colour alone.
    const renamed = await updateLabel({ ctx: w.ctx(admin), input: { id: label.id, name: "VIP customer" } });
    expect([renamed.name, renamed.color]).toEqual(["VIP customer", "#FF0000"]);
  });

  it("hides deactivated categories from lists and from new tickets, but keeps old tickets", async () => {
    const admin = await w.user("admin");
    const requester = await w.user("requester");
    const cat = await createCategory({
      ctx: w.ctx(admin),
      input: {
        code: "printers",
        name: { fa: "چاپگر", en: "Printers", ru: "Принтеры" },
        emoji: "🖨️",
        sortOrder: 5,
      },
    });
    const old = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Old one", categoryId: cat.id },
    });
    await deactivateCategory({ ctx: w.ctx(admin), input: { id: cat.id } });
    const visible = await listCategories({ ctx: w.ctx(requester) });
    expect(visible.some((c) => c.id === cat.id)).toBe(false);
    const all = await listCategories({ ctx: w.ctx(admin), input: { includeInactive: true } });
    expect(all.some((c) => c.id === cat.id)).toBe(true);
    // Staff read old tickets that carry it; a requester asking for inactive ones still gets none.
    const agent = await w.user("agent");
    const forStaff = await listCategories({ ctx: w.ctx(agent), input: { includeInactive: true } });
    expect(forStaff.some((c) => c.id === cat.id)).toBe(true);
    const forRequester = await listCategories({ ctx: w.ctx(requester), input: { includeInactive: true } });
    expect(forRequester.some((c) => c.id === cat.id)).toBe(false);
    expect(
      await code(createTicket({ ctx: w.ctx(requester), input: { title: "New one", categoryId: cat.id } })),
    ).toBe("VALIDATION");
    expect(old.categoryId).toBe(cat.id);
  });

  it("sets labels on a ticket and records the change", async () => {
    const admin = await w.user("admin");
    const agent = await w.user("agent");
    const requester = await w.user("requester");
    const a = await createLabel({ ctx: w.ctx(admin), input: { name: "urgent-vendor" } });
    const t = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Labels", categoryId: await w.categoryId() },
    });
    await updateTicket({ ctx: w.ctx(agent), input: { ticketId: t.id, labelIds: [a.id] } });
    expect((await listLabels({ ctx: w.ctx(agent) })).some((l) => l.id === a.id)).toBe(true);
    expect(
      await code(
        updateTicket({
          ctx: w.ctx(agent),
          input: { ticketId: t.id, labelIds: ["00000000-0000-4000-8000-000000000000"] },
        }),
      ),
    ).toBe("VALIDATION");
  });
});

describe("settings", () => {
  it("has defaults, validates, and is writable by admins only", async () => {
    const admin = await w.user("admin");
    const agent = await w.user("agent");
    const defaults = await getSettings({ ctx: w.ctx(agent) });
    expect(defaults.auto_close_hours).toBeGreaterThan(0);
    // SLA targets moved to their own policies (/api/sla-policies): no longer a setting.
    expect(await code(updateSettings({ ctx: w.ctx(admin), input: { sla: {} } }))).toBe("VALIDATION");
    expect(await code(updateSettings({ ctx: w.ctx(agent), input: { auto_close_hours: 1 } }))).toBe(
      "FORBIDDEN",
    );
    expect(await code(updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: -1 } }))).toBe(
      "VALIDATION",
    );
    expect(await code(updateSettings({ ctx: w.ctx(admin), input: { nonsense: 1 } }))).toBe("VALIDATION");
    const after = await updateSettings({
      ctx: w.ctx(admin),
      input: { auto_close_hours: 24, staff_chat_id: -100777 },
    });
    expect(after.auto_close_hours).toBe(24);
    expect(after.staff_chat_id).toBe(-100777);
  });
});
