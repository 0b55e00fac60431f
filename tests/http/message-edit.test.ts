import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** PATCH /api/tickets/:id/messages/:messageId: the author edits their own words from the Mini App. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
type Who = "agent" | "requester" | "other";
const sessions = {} as Record<Who, { accessToken: string; user: { id: string } }>;

beforeAll(async () => {
  w = world();
  let tg = 951_300;
  for (const who of ["agent", "requester", "other"] as const) {
    const s = await api().login(tg++, "en");
    const role = who === "agent" ? "agent" : "requester";
    await w.db.update(users).set({ role }).where(eq(users.id, s.user.id));
    sessions[who] = s;
  }
});

const call = (who: Who, method: string, path: string, body?: unknown) =>
  api().call(sessions[who].accessToken, method, path, body);

async function ticketWithThread() {
  const [requester] = await w.db.select().from(users).where(eq(users.id, sessions.requester.user.id));
  const t = await createTicket({
    ctx: w.ctx(requester),
    input: { title: "Printer", categoryId: await w.categoryId() },
  });
  const post = async (who: Who, body: object) =>
    (await (await call(who, "POST", `/api/tickets/${t.id}/messages`, body)).json()).message as { id: string };
  const said = await post("requester", { body: "pritner jams" });
  const reply = await post("agent", { body: "on my way" });
  const note = await post("agent", { body: "toner low", internal: true });
  return { t, said, reply, note };
}

const edit = (who: Who, ticketId: string, messageId: string, body: unknown) =>
  call(who, "PATCH", `/api/tickets/${ticketId}/messages/${messageId}`, body);

describe("editing a message over HTTP", () => {
  it("lets the author edit; the thread marks it edited and the history keeps what it was", async () => {
    const { t, said, note } = await ticketWithThread();
    const res = await edit("requester", t.id, said.id, { body: "printer jams" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ body: "printer jams", editedAt: expect.any(String) });
    const thread = await (await call("agent", "GET", `/api/tickets/${t.id}/messages`)).json();
    const shown = thread.find((m: { id: string }) => m.id === said.id);
    expect(shown).toMatchObject({ body: "printer jams", editedAt: expect.any(String) });

    expect((await edit("agent", t.id, note.id, { body: "toner empty" })).status).toBe(200);
    const staffHistory = await (await call("agent", "GET", `/api/tickets/${t.id}/history`)).json();
    const edits = staffHistory
      .filter((e: { kind: string }) => e.kind.endsWith("_edit"))
      .map((e: { kind: string; fromValue: string; toValue: string }) => [e.kind, e.fromValue, e.toValue]);
    expect(edits).toEqual([
      ["message_edit", "pritner jams", "printer jams"],
      ["note_edit", "toner low", "toner empty"],
    ]);
    // A note's edit stays among staff, like the note.
    const requesterHistory = await (await call("requester", "GET", `/api/tickets/${t.id}/history`)).json();
    expect(requesterHistory.map((e: { kind: string }) => e.kind)).not.toContain("note_edit");
  });

  it("refuses someone else's message, another ticket's, an empty text and a ticket out of reach", async () => {
    const { t, said, reply } = await ticketWithThread();
    const other = await ticketWithThread();
    expect((await edit("agent", t.id, said.id, { body: "hijack" })).status).toBe(403);
    expect((await edit("requester", t.id, reply.id, { body: "hijack" })).status).toBe(403);
    expect((await edit("requester", t.id, other.said.id, { body: "wrong ticket" })).status).toBe(404);
    expect((await edit("requester", t.id, said.id, { body: "   " })).status).toBe(422);
    expect((await edit("requester", t.id, said.id, {})).status).toBe(422);
    expect((await edit("requester", t.id, "not-a-uuid", { body: "x" })).status).toBe(422);
    expect((await edit("other", t.id, said.id, { body: "x" })).status).toBe(404);
    const thread = await (await call("requester", "GET", `/api/tickets/${t.id}/messages`)).json();
    expect(thread.map((m: { body: string }) => m.body)).toEqual(["pritner jams", "on my way"]);
  });

  it("relays the edit to the copy Telegram already shows, and refuses after 48 hours", async () => {
    const { t, reply } = await ticketWithThread();
    // The outbox sent the reply to the requester: its copy in their chat is message 777.
    const copies = await w.db
      .update(notifications)
      .set({ state: "sent", sentMessageId: 777 })
      .where(and(eq(notifications.messageId, reply.id), sql`not (${notifications.payload} ? 'editOf')`))
      .returning();
    expect(copies.length).toBeGreaterThan(0);
    expect((await edit("agent", t.id, reply.id, { body: "on my way, 5 minutes" })).status).toBe(200);
    const followUps = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.messageId, reply.id), sql`${notifications.payload} ? 'editOf'`));
    expect(followUps.map((f) => [f.state, (f.payload as { editOf?: string }).editOf])).toEqual(
      copies.map((c) => ["pending", c.id]),
    );

    w.clock.set(new Date(w.clock.now().getTime() + 49 * 3_600_000));
    const late = await edit("agent", t.id, reply.id, { body: "too late" });
    expect(late.status).toBe(409);
    expect((await late.json()).message).toContain("48 hours");
  });
});
