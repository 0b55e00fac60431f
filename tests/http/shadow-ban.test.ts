import { readdir, rm } from "node:fs/promises";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, notifications, tickets, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * A shadow-banned requester in the Mini App (docs/OPERATIONS.md "Bot abuse"): their
 * writes are answered as usual and nothing is kept — no message, no ticket, no
 * notification for staff, no uploaded bytes.
 */
const dataDir = `/tmp/helpdesk-shadow-${process.pid}`;
const world = setupTestWorld();
const api = setupApi(world, { dataDir });
let w: World;
let categoryId: string;

const countOf = async (table: typeof messages | typeof tickets | typeof notifications) =>
  (await w.db.select({ n: count() }).from(table))[0].n;
const filesKept = async () =>
  (await readdir(dataDir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile())
    .length;

async function requesterWithTicket(telegramId: number) {
  const me = await api().login(telegramId, "en");
  const res = await api().call(me.accessToken, "POST", "/api/tickets", { title: "Before", categoryId });
  expect(res.status).toBe(201);
  return { me, ticketId: (await res.json()).id as string };
}

beforeAll(async () => {
  w = world();
  categoryId = await w.categoryId();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a shadow-banned requester in the API", () => {
  it("is answered as if their message and ticket were added, and nothing is stored", async () => {
    const { me, ticketId } = await requesterWithTicket(960_001);
    await w.db.update(users).set({ moderation: "shadow" }).where(eq(users.id, me.user.id));
    const before = [await countOf(messages), await countOf(tickets), await countOf(notifications)];

    const sent = await api().call(me.accessToken, "POST", `/api/tickets/${ticketId}/messages`, {
      body: "spam",
    });
    expect(sent.status).toBe(201);
    expect((await sent.json()).message).toMatchObject({ body: "spam", ticketId, isInternal: false });
    const opened = await api().call(me.accessToken, "POST", "/api/tickets", {
      title: "More spam",
      categoryId,
    });
    expect(opened.status).toBe(201);
    expect(await opened.json()).toMatchObject({
      title: "More spam",
      status: "open",
      number: expect.stringMatching(/^T-\d{8}-\d{4,}$/),
    });

    expect([await countOf(messages), await countOf(tickets), await countOf(notifications)]).toEqual(before);
    // They still read their own tickets as before.
    expect((await api().call(me.accessToken, "GET", `/api/tickets/${ticketId}`)).status).toBe(200);
  });

  it("forgets the files uploaded with a pretended message", async () => {
    const { me, ticketId } = await requesterWithTicket(960_002);
    await w.db.update(users).set({ moderation: "shadow" }).where(eq(users.id, me.user.id));
    const form = new FormData();
    form.set("body", "look");
    form.append("files", new File([new Uint8Array([1, 2, 3])], "shot.png", { type: "image/png" }));
    const res = await api().app.request(`/api/tickets/${ticketId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${me.accessToken}` },
      body: form,
    });
    expect(res.status).toBe(201);
    expect(await filesKept()).toBe(0);
    expect(await w.db.select().from(messages).where(eq(messages.ticketId, ticketId))).toHaveLength(0);
  });

  it("may not pretend to write to someone else's ticket, and staff are never shadowed", async () => {
    const owner = await requesterWithTicket(960_003);
    const { me } = await requesterWithTicket(960_004);
    await w.db.update(users).set({ moderation: "shadow" }).where(eq(users.id, me.user.id));
    const foreign = await api().call(me.accessToken, "POST", `/api/tickets/${owner.ticketId}/messages`, {
      body: "x",
    });
    expect(foreign.status).toBe(404);

    const agent = await api().login(960_005, "en");
    await w.db.update(users).set({ role: "admin", moderation: "shadow" }).where(eq(users.id, agent.user.id));
    const reply = await api().call(agent.accessToken, "POST", `/api/tickets/${owner.ticketId}/messages`, {
      body: "hi",
    });
    expect(reply.status).toBe(201);
    expect(await w.db.select().from(messages).where(eq(messages.ticketId, owner.ticketId))).toHaveLength(1);
  });
});
