import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../drizzle/client.js";
import { type Role, type Ticket, tickets, type User } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
  getTicket,
  getTicketHistory,
  listTicketMessages,
  rateTicket,
  updateTicket,
} from "../../server/domain/index.js";
import { createTestDb } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";

/**
 * Role × verb × scope, with the expected answers taken from SPEC §1:
 * requesters work their own tickets only; agents take and answer tickets of their
 * scope, change status/priority and write notes; moderators also assign to others;
 * auditors only read; admins and owners do everything everywhere. Outside the
 * scope a ticket does not exist for the actor (NOT_FOUND).
 */
type Actor = "requester_own" | "requester_other" | "agent" | "moderator" | "auditor" | "admin" | "owner";
type Scope = "in" | "out";
type Verb =
  | "read"
  | "read_thread"
  | "history"
  | "reply"
  | "note"
  | "status_staff_move"
  | "close"
  | "take"
  | "assign_other"
  | "priority"
  | "rate"
  | "create_on_behalf";

const OK = "ok";
const F = "FORBIDDEN";
const NF = "NOT_FOUND";

// What each role may do on a ticket inside its scope.
const IN_SCOPE: Record<Verb, Record<Actor, string>> = {
  read: {
    requester_own: OK,
    requester_other: NF,
    agent: OK,
    moderator: OK,
    auditor: OK,
    admin: OK,
    owner: OK,
  },
  read_thread: {
    requester_own: OK,
    requester_other: NF,
    agent: OK,
    moderator: OK,
    auditor: OK,
    admin: OK,
    owner: OK,
  },
  history: {
    requester_own: OK,
    requester_other: NF,
    agent: OK,
    moderator: OK,
    auditor: OK,
    admin: OK,
    owner: OK,
  },
  reply: {
    requester_own: OK,
    requester_other: NF,
    agent: OK,
    moderator: OK,
    auditor: F,
    admin: OK,
    owner: OK,
  },
  note: { requester_own: F, requester_other: NF, agent: OK, moderator: OK, auditor: F, admin: OK, owner: OK },
  status_staff_move: {
    requester_own: F,
    requester_other: NF,
    agent: OK,
    moderator: OK,
    auditor: F,
    admin: OK,
    owner: OK,
  },
  close: {
    requester_own: OK,
    requester_other: NF,
    agent: OK,
    moderator: OK,
    auditor: F,
    admin: OK,
    owner: OK,
  },
  take: { requester_own: F, requester_other: NF, agent: OK, moderator: OK, auditor: F, admin: OK, owner: OK },
  assign_other: {
    requester_own: F,
    requester_other: NF,
    agent: F,
    moderator: OK,
    auditor: F,
    admin: OK,
    owner: OK,
  },
  priority: {
    requester_own: F,
    requester_other: NF,
    agent: OK,
    moderator: OK,
    auditor: F,
    admin: OK,
    owner: OK,
  },
  rate: { requester_own: OK, requester_other: NF, agent: F, moderator: F, auditor: F, admin: F, owner: F },
  create_on_behalf: {
    requester_own: F,
    requester_other: F,
    agent: OK,
    moderator: OK,
    auditor: F,
    admin: OK,
    owner: OK,
  },
};

function expected(verb: Verb, actor: Actor, scope: Scope): string {
  const branchBound = actor === "agent" || actor === "moderator" || actor === "auditor";
  if (scope === "out" && branchBound) return verb === "create_on_behalf" ? F : NF;
  return IN_SCOPE[verb][actor];
}

let handle: DbHandle;
let w: World;
let requester: User;
let helper: User;
const actors = {} as Record<Actor, User>;
const branches = {} as Record<Scope, string>;

beforeAll(async () => {
  handle = await createTestDb();
  w = createWorld(handle.db);
  const home = await w.branch("rbac_home");
  const away = await w.branch("rbac_away");
  branches.in = home.id;
  branches.out = away.id;
  requester = await w.user("requester", { branchId: home.id });
  helper = await w.user("agent", { branchId: null });
  const mk = (role: Role, branchId: string | null) => w.user(role, { branchId });
  actors.requester_own = requester;
  actors.requester_other = await mk("requester", home.id);
  actors.agent = await mk("agent", home.id);
  actors.moderator = await mk("moderator", home.id);
  actors.auditor = await mk("auditor", home.id);
  // Admins and owners are bound to a branch on purpose: they still see everything.
  actors.admin = await mk("admin", away.id);
  actors.owner = await mk("owner", away.id);
});
afterAll(() => handle.close());

async function freshTicket(scope: Scope, status: Ticket["status"] = "open"): Promise<Ticket> {
  const [t] = [
    await createTicket({
      ctx: w.system(),
      input: {
        title: "Matrix case",
        categoryId: await w.categoryId(),
        requesterId: requester.id,
        branchId: branches[scope],
      },
    }),
  ];
  // A closed ticket was resolved once (its rating is that resolution's).
  if (status !== "open")
    await w.db.update(tickets).set({ status, resolutionCount: 1 }).where(eq(tickets.id, t.id));
  return t;
}

async function run(verb: Verb, actor: User, scope: Scope): Promise<string> {
  const ctx = w.ctx(actor);
  const t = await freshTicket(scope, verb === "rate" ? "closed" : "open");
  const ticketId = t.id;
  const calls: Record<Verb, () => Promise<unknown>> = {
    read: () => getTicket({ ctx, input: { ticketId } }),
    read_thread: () => listTicketMessages({ ctx, input: { ticketId } }),
    history: () => getTicketHistory({ ctx, input: { ticketId } }),
    reply: () => addTicketMessage({ ctx, input: { ticketId, body: "hello" } }),
    note: () => addTicketMessage({ ctx, input: { ticketId, body: "note", internal: true } }),
    status_staff_move: () => changeTicketStatus({ ctx, input: { ticketId, status: "in_progress" } }),
    close: () => changeTicketStatus({ ctx, input: { ticketId, status: "closed" } }),
    take: () => assignTicket({ ctx, input: { ticketId, assigneeId: actor.id } }),
    assign_other: () => assignTicket({ ctx, input: { ticketId, assigneeId: helper.id } }),
    priority: () => updateTicket({ ctx, input: { ticketId, priority: "critical" } }),
    rate: () => rateTicket({ ctx, input: { ticketId, rating: 4 } }),
    create_on_behalf: () =>
      createTicket({
        ctx,
        input: {
          title: "On behalf",
          categoryId: t.categoryId,
          requesterId: actor.id === requester.id ? actors.requester_other.id : requester.id,
          branchId: branches[scope],
        },
      }),
  };
  return calls[verb]().then(
    () => OK,
    (e) => e.code ?? String(e),
  );
}

describe("permission matrix: role × verb × scope (SPEC §1)", () => {
  for (const verb of Object.keys(IN_SCOPE) as Verb[]) {
    it(verb, async () => {
      const mismatches: string[] = [];
      for (const actor of Object.keys(actors) as Actor[]) {
        for (const scope of ["in", "out"] as Scope[]) {
          const want = expected(verb, actor, scope);
          const got = await run(verb, actors[actor], scope);
          if (got !== want) mismatches.push(`${actor}/${scope}: expected ${want}, got ${got}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
