import { beforeAll, describe, expect, it } from "vitest";
import { assignTicket, createTicket, getTriageChoices } from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

describe("getTriageChoices", () => {
  it("offers moderators every active worker covering the branch, agents only themselves, others nothing", async () => {
    const north = await w.branch();
    const south = await w.branch();
    const requester = await w.user("requester", { branchId: north.id });
    const moderator = await w.user("moderator", { branchId: north.id });
    const agent = await w.user("agent", { branchId: north.id });
    const roaming = await w.user("agent"); // branchless: covers every branch
    const elsewhere = await w.user("agent", { branchId: south.id });
    const retired = await w.user("agent", { branchId: north.id, isActive: false });
    const auditor = await w.user("auditor");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Heating in hall B", categoryId: await w.categoryId() },
    });

    const forModerator = await getTriageChoices({ ctx: w.ctx(moderator), input: { ticketId: ticket.id } });
    const ids = forModerator.assignees.map((u) => u.id);
    for (const u of [moderator, agent, roaming]) expect(ids).toContain(u.id);
    for (const u of [elsewhere, retired, requester, auditor]) expect(ids).not.toContain(u.id);
    expect(forModerator.canUnassign).toBe(false);
    expect(forModerator.statuses.sort()).toEqual(["closed", "in_progress", "resolved", "waiting_customer"]);

    const forAgent = await getTriageChoices({ ctx: w.ctx(agent), input: { ticketId: ticket.id } });
    expect(forAgent.assignees.map((u) => u.id)).toEqual([agent.id]);

    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, assigneeId: agent.id } });
    const taken = await getTriageChoices({ ctx: w.ctx(agent), input: { ticketId: ticket.id } });
    expect(taken).toMatchObject({ assignees: [], canUnassign: true });
    const other = await getTriageChoices({ ctx: w.ctx(roaming), input: { ticketId: ticket.id } });
    expect(other).toMatchObject({ assignees: [], canUnassign: false });
    const reassign = await getTriageChoices({ ctx: w.ctx(moderator), input: { ticketId: ticket.id } });
    expect(reassign.assignees.map((u) => u.id)).not.toContain(agent.id); // already theirs
    expect(reassign.canUnassign).toBe(true);

    const input = { ticketId: ticket.id };
    expect(await outcome(getTriageChoices({ ctx: w.ctx(elsewhere), input }))).toBe("NOT_FOUND");
    expect(await outcome(getTriageChoices({ ctx: w.ctx(auditor), input }))).toBe("FORBIDDEN");
    expect(await outcome(getTriageChoices({ ctx: w.ctx(requester), input }))).toBe("FORBIDDEN");
  });
});
