import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../drizzle/client.js";
import {
  type Branch,
  TICKET_STATUSES,
  type TicketStatus,
  tickets,
  type User,
} from "../../drizzle/schema/index.js";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { createTestDb } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";

/**
 * Expected answers written from SPEC §1 and §3, not from the code:
 * - staff of the scope (agent, moderator, admin, owner) move a ticket to any other
 *   status, except that a finished ticket (resolved/closed) can only be reopened
 *   (open, in_progress) or, when resolved, closed;
 * - the requester may close their unclosed ticket, or reopen a finished one to open;
 *   the other staff moves are refused as FORBIDDEN, impossible moves as INVALID_TRANSITION;
 * - an auditor reads only: FORBIDDEN; staff of another branch and other requesters: NOT_FOUND.
 */
const finished = (s: TicketStatus) => s === "resolved" || s === "closed";
function staffMay(from: TicketStatus, to: TicketStatus): boolean {
  if (from === to) return false;
  if (finished(from))
    return to === "open" || to === "in_progress" || (from === "resolved" && to === "closed");
  return true;
}
function requesterMay(from: TicketStatus, to: TicketStatus): boolean {
  if (from === to) return false;
  if (to === "closed") return from !== "closed";
  return finished(from) && to === "open";
}

type Who =
  | "requester"
  | "other_requester"
  | "agent"
  | "moderator"
  | "admin"
  | "owner"
  | "auditor"
  | "agent_other_branch";
function expected(who: Who, from: TicketStatus, to: TicketStatus): string {
  if (who === "other_requester" || who === "agent_other_branch") return "NOT_FOUND";
  if (who === "auditor") return "FORBIDDEN";
  if (who === "requester") {
    if (requesterMay(from, to)) return "ok";
    return staffMay(from, to) ? "FORBIDDEN" : "INVALID_TRANSITION";
  }
  return staffMay(from, to) ? "ok" : "INVALID_TRANSITION";
}

let handle: DbHandle;
let w: World;
let branchA: Branch;
const people = {} as Record<Who, User>;

beforeAll(async () => {
  handle = await createTestDb();
  w = createWorld(handle.db);
  branchA = await w.branch("lc_a");
  const branchB = await w.branch("lc_b");
  people.requester = await w.user("requester", { branchId: branchA.id });
  people.other_requester = await w.user("requester", { branchId: branchA.id });
  people.agent = await w.user("agent", { branchId: branchA.id });
  people.moderator = await w.user("moderator", { branchId: branchA.id });
  people.admin = await w.user("admin", { branchId: branchB.id });
  people.owner = await w.user("owner");
  people.auditor = await w.user("auditor", { branchId: branchA.id });
  people.agent_other_branch = await w.user("agent", { branchId: branchB.id });
});
afterAll(() => handle.close());

async function ticketIn(status: TicketStatus) {
  const t = await createTicket({
    ctx: w.ctx(people.requester),
    input: { title: "Lifecycle case", categoryId: await w.categoryId() },
  });
  await w.db.update(tickets).set({ status }).where(eq(tickets.id, t.id));
  return t.id;
}

const whos = Object.keys({
  requester: 1,
  other_requester: 1,
  agent: 1,
  moderator: 1,
  admin: 1,
  owner: 1,
  auditor: 1,
  agent_other_branch: 1,
}) as Who[];

describe("every (from, to, role) status change", () => {
  for (const who of whos) {
    it(`answers as SPEC §3 says for ${who}`, async () => {
      const mismatches: string[] = [];
      for (const from of TICKET_STATUSES) {
        for (const to of TICKET_STATUSES) {
          const ticketId = await ticketIn(from);
          const want = expected(who, from, to);
          const got = await changeTicketStatus({
            ctx: w.ctx(people[who]),
            input: { ticketId, status: to },
          }).then(
            (t) => (t.status === to ? "ok" : `wrong status ${t.status}`),
            (e) => e.code ?? String(e),
          );
          if (got !== want) mismatches.push(`${from} → ${to}: expected ${want}, got ${got}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it("keeps resolved_at and closed_at right, and clears them on reopen", async () => {
    const id = await ticketIn("in_progress");
    const resolved = await changeTicketStatus({
      ctx: w.ctx(people.agent),
      input: { ticketId: id, status: "resolved" },
    });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    expect(resolved.closedAt).toBeNull();
    const closed = await changeTicketStatus({
      ctx: w.ctx(people.requester),
      input: { ticketId: id, status: "closed" },
    });
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect(closed.resolvedAt?.getTime()).toBe(resolved.resolvedAt?.getTime());
    const reopened = await changeTicketStatus({
      ctx: w.ctx(people.requester),
      input: { ticketId: id, status: "open" },
    });
    expect(reopened.closedAt).toBeNull();
    expect(reopened.resolvedAt).toBeNull();
  });
});
