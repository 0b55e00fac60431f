import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { categories } from "../../drizzle/schema/index.js";
import {
  createTicket,
  seedDefaults,
  setUserActive,
  setUserBranch,
  setUserRole,
  setUserSkills,
  updateBranch,
  updateCategory,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

/** Rules that keep one role from reaching into another's business. */
const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

describe("people", () => {
  it("a branch moderator manages their branch and customers, not the branchless agents who serve every branch", async () => {
    const north = await w.branch();
    const moderator = await w.user("moderator", { branchId: north.id });
    const roaming = await w.user("agent");
    const customer = await w.user("requester");
    const ctx = w.ctx(moderator);
    expect(await outcome(setUserActive({ ctx, input: { userId: roaming.id, active: false } }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(setUserSkills({ ctx, input: { userId: roaming.id, categoryIds: [] } }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(setUserBranch({ ctx, input: { userId: customer.id, branchId: north.id } }))).toBe(
      "ok",
    );
  });

  it("no one is placed in a closed branch", async () => {
    const admin = await w.user("admin");
    const closed = await w.branch();
    await updateBranch({ ctx: w.ctx(admin), input: { id: closed.id, isActive: false } });
    const person = await w.user("requester");
    expect(
      await outcome(setUserBranch({ ctx: w.ctx(admin), input: { userId: person.id, branchId: closed.id } })),
    ).toBe("VALIDATION");
  });

  it("an owner already switched off can be demoted while another owner is active", async () => {
    const active = await w.user("owner");
    const retired = await w.user("owner", { isActive: false });
    expect(
      await outcome(setUserRole({ ctx: w.ctx(active), input: { userId: retired.id, role: "admin" } })),
    ).toBe("ok");
  });
});

describe("tickets in someone else's name", () => {
  it("staff file only for requesters of their own scope, whatever branch they pick for the ticket", async () => {
    const [north, south] = [await w.branch(), await w.branch()];
    const agent = await w.user("agent", { branchId: north.id });
    const southRequester = await w.user("requester", { branchId: south.id });
    const northRequester = await w.user("requester", { branchId: north.id });
    const owner = await w.user("owner");
    const categoryId = await w.categoryId();
    const file = (requesterId: string) =>
      createTicket({
        ctx: w.ctx(agent),
        input: { title: "On behalf", categoryId, requesterId, branchId: north.id },
      });
    expect(await outcome(file(southRequester.id))).toBe("FORBIDDEN");
    expect(await outcome(file(owner.id))).toBe("FORBIDDEN");
    expect(await outcome(file(northRequester.id))).toBe("ok");
  });

  it("a reused idempotency key gives the ticket back only to someone who may see it", async () => {
    const [north, south] = [await w.branch(), await w.branch()];
    const requester = await w.user("requester", { branchId: north.id });
    const categoryId = await w.categoryId();
    const input = { title: "Once", categoryId, idempotencyKey: "key-of-a-retry-0001" };
    const first = await createTicket({ ctx: w.ctx(requester), input });
    expect((await createTicket({ ctx: w.ctx(requester), input })).id).toBe(first.id);
    const stranger = await w.user("agent", { branchId: south.id });
    expect(
      await outcome(createTicket({ ctx: w.ctx(stranger), input: { ...input, requesterId: requester.id } })),
    ).not.toBe("ok");
  });
});

describe("the default catalogue", () => {
  it("is seeded once: a renamed default does not come back at the next start", async () => {
    const admin = await w.user("admin");
    const [software] = await w.db.select().from(categories).where(eq(categories.code, "software"));
    await updateCategory({ ctx: w.ctx(admin), input: { id: software.id, code: "apps" } });
    await seedDefaults(w.db);
    expect(await w.db.select().from(categories).where(eq(categories.code, "software"))).toEqual([]);
  });
});
