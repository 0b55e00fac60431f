import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { categories, labels, users } from "../../drizzle/schema/index.js";
import { assignTicket, createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * GET /api/tickets/:id/choices and the assignee on GET /api/tickets/:id: the
 * Mini App's pickers offer only what the server accepts and always name the
 * current assignee, even one from another branch the picker cannot offer.
 */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let home: string;
let away: string;
const sessions = {} as Record<
  "moderator" | "agent" | "requester",
  { accessToken: string; user: { id: string } }
>;

beforeAll(async () => {
  w = world();
  home = (await w.branch("choice_home")).id;
  away = (await w.branch("choice_away")).id;
  let tg = 930_100;
  for (const role of ["moderator", "agent", "requester"] as const) {
    const s = await api().login(tg++, "en");
    await w.db.update(users).set({ role, branchId: home }).where(eq(users.id, s.user.id));
    sessions[role] = s;
  }
});

async function ticketAssignedTo(assigneeId: string | null) {
  const ticket = await createTicket({
    ctx: w.system(),
    input: {
      title: "Projector broken",
      categoryId: await w.categoryId(),
      requesterId: sessions.requester.user.id,
      branchId: home,
    },
  });
  if (assigneeId) await assignTicket({ ctx: w.system(), input: { ticketId: ticket.id, assigneeId } });
  return ticket.id;
}

const get = (who: keyof typeof sessions, path: string) => api().call(sessions[who].accessToken, "GET", path);

describe("triage choices over HTTP", () => {
  it("offers a moderator the active staff covering the branch, not the current assignee", async () => {
    const colleague = await w.user("agent", { branchId: home, firstName: "Colleague" });
    const elsewhere = await w.user("agent", { branchId: away, firstName: "Elsewhere" });
    const gone = await w.user("agent", { branchId: home, firstName: "Gone", isActive: false });
    const id = await ticketAssignedTo(colleague.id);
    const res = await get("moderator", `/api/tickets/${id}/choices`);
    expect(res.status).toBe(200);
    const choices = await res.json();
    const offered = choices.assignees.map((u: { id: string }) => u.id);
    expect(offered).toContain(sessions.agent.user.id);
    expect(offered).toContain(sessions.moderator.user.id);
    expect(offered).not.toContain(colleague.id);
    expect(offered).not.toContain(elsewhere.id);
    expect(offered).not.toContain(gone.id);
    expect(choices.canUnassign).toBe(true);
    const { status } = await (await get("moderator", `/api/tickets/${id}`)).json();
    expect(choices.statuses.length).toBeGreaterThan(0);
    expect(choices.statuses).not.toContain(status);
    // Only what a picker shows goes out: no Telegram ids, no preferences.
    expect(Object.keys(choices.assignees[0]).sort()).toEqual([
      "firstName",
      "id",
      "lastName",
      "role",
      "username",
    ]);
  });

  it("names an assignee who moved to another branch: in full for staff, by first name for the requester", async () => {
    const visitor = await w.user("agent", { branchId: home, firstName: "Visitor", username: "visitor_ag" });
    const id = await ticketAssignedTo(visitor.id);
    await w.db.update(users).set({ branchId: away }).where(eq(users.id, visitor.id));
    const staffView = await (await get("moderator", `/api/tickets/${id}`)).json();
    expect(staffView.assignee).toMatchObject({
      id: visitor.id,
      firstName: "Visitor",
      username: "visitor_ag",
    });
    const requesterView = await (await get("requester", `/api/tickets/${id}`)).json();
    expect(requesterView.assignee).toEqual({
      id: visitor.id,
      firstName: "Visitor",
      lastName: null,
      username: null,
    });
  });

  it("offers a big branch's whole staff to the Mini App's picker, not the first 40 (a Telegram keyboard's size)", async () => {
    for (let i = 0; i < 45; i++)
      await w.user("agent", { branchId: home, firstName: `Zz${String(i).padStart(2, "0")}` });
    const id = await ticketAssignedTo(null);
    const choices = await (await get("moderator", `/api/tickets/${id}/choices`)).json();
    const names = choices.assignees.map((u: { firstName: string }) => u.firstName);
    // Alphabetically last: cut off by a 40-person cap.
    expect(names).toContain("Zz44");
  });

  it("lets an agent take an unassigned ticket or let go of their own, nothing else", async () => {
    const free = await ticketAssignedTo(null);
    const freeChoices = await (await get("agent", `/api/tickets/${free}/choices`)).json();
    expect(freeChoices.assignees.map((u: { id: string }) => u.id)).toEqual([sessions.agent.user.id]);
    expect(freeChoices.canUnassign).toBe(false);

    const mine = await ticketAssignedTo(sessions.agent.user.id);
    const mineChoices = await (await get("agent", `/api/tickets/${mine}/choices`)).json();
    expect(mineChoices.assignees).toEqual([]);
    expect(mineChoices.canUnassign).toBe(true);

    const colleague = await w.user("agent", { branchId: home });
    const theirs = await ticketAssignedTo(colleague.id);
    const theirChoices = await (await get("agent", `/api/tickets/${theirs}/choices`)).json();
    expect(theirChoices.assignees).toEqual([]);
    expect(theirChoices.canUnassign).toBe(false);
  });

  it("refuses a requester (403) and hides a ticket outside the scope (404)", async () => {
    const id = await ticketAssignedTo(null);
    expect((await get("requester", `/api/tickets/${id}/choices`)).status).toBe(403);
    const outside = await createTicket({
      ctx: w.system(),
      input: {
        title: "Other branch",
        categoryId: await w.categoryId(),
        requesterId: sessions.requester.user.id,
        branchId: away,
      },
    });
    expect((await get("agent", `/api/tickets/${outside.id}/choices`)).status).toBe(404);
  });
});

describe("people staff may open a ticket for", () => {
  const names = async (who: keyof typeof sessions, q = "") =>
    ((await (await get(who, `/api/tickets/requesters?q=${q}`)).json()) as { firstName: string }[]).map(
      (u) => u.firstName,
    );

  it("gives an agent the active requesters of their branch and of none, searchable, and nobody else", async () => {
    await w.user("requester", { branchId: home, firstName: "Nasrin" });
    await w.user("requester", { branchId: null, firstName: "Nadia" });
    await w.user("requester", { branchId: away, firstName: "Nima" });
    await w.user("requester", { branchId: home, firstName: "Narges", isActive: false });
    await w.user("agent", { branchId: home, firstName: "Navid" });
    const found = await names("agent", "Na");
    expect(found).toEqual(expect.arrayContaining(["Nasrin", "Nadia"]));
    for (const hidden of ["Nima", "Narges", "Navid"]) expect(found).not.toContain(hidden);
    const [first] = (await (await get("agent", "/api/tickets/requesters?q=Nasrin")).json()) as object[];
    expect(Object.keys(first).sort()).toEqual(["branchId", "firstName", "id", "lastName", "username"]);
  });

  it("lets the agent open a ticket for one of them, which the requester then sees as theirs", async () => {
    const [nadia] = (await (await get("agent", "/api/tickets/requesters?q=Nadia")).json()) as {
      id: string;
    }[];
    const res = await api().call(sessions.agent.accessToken, "POST", "/api/tickets", {
      title: "Called about the Wi-Fi",
      categoryId: await w.categoryId(),
      requesterId: nadia.id,
      branchId: home,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ requesterId: nadia.id, branchId: home });
  });

  it("refuses requesters (rbac.test.ts covers every role), and a bad limit or a missing name with 422", async () => {
    expect((await get("requester", "/api/tickets/requesters")).status).toBe(403);
    expect((await get("moderator", "/api/tickets/requesters?q=Na&limit=500")).status).toBe(422);
    // No name, no list: the directory of customers is not there to page through.
    expect((await get("agent", "/api/tickets/requesters")).status).toBe(422);
    expect((await get("agent", "/api/tickets/requesters?q=N")).status).toBe(422);
  });
});

describe("refusals over HTTP", () => {
  it("say their own reason: a stale Take on a ticket someone else took reads 'already assigned' in fa", async () => {
    const id = await ticketAssignedTo(sessions.moderator.user.id);
    await w.db.update(users).set({ language: "fa" }).where(eq(users.id, sessions.agent.user.id));
    const res = await api().call(sessions.agent.accessToken, "PATCH", `/api/tickets/${id}/assignee`, {
      assigneeId: sessions.agent.user.id,
      ifUnassigned: true,
    });
    expect(res.status).toBe(409);
    expect((await res.json()).message).toBe("این تیکت قبلاً به کسی واگذار شده است.");
  });
});

describe("the metadata screens draw from", () => {
  it("names deactivated categories and labels too, marked, since old tickets still carry them", async () => {
    const [cat] = await w.db
      .insert(categories)
      .values({ code: "meta_gone", name: { fa: "قدیمی", en: "Old kind" }, isActive: false })
      .returning();
    const [label] = await w.db.insert(labels).values({ name: "meta-old", isActive: false }).returning();
    const meta = await (await get("agent", "/api/meta")).json();
    expect(meta.categories).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: cat.id, isActive: false })]),
    );
    expect(meta.labels).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: label.id, isActive: false })]),
    );
  });
});
