import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  attachments,
  idempotencyKeys,
  messages,
  notifications,
  tickets,
  users,
} from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** Idempotency-Key on the writes a double tap repeats: a reply or note, and a new ticket. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let agent: { accessToken: string; user: { id: string } };
let customer: { accessToken: string; user: { id: string } };
let categoryId: string;
let seq = 0;

beforeAll(async () => {
  w = world();
  agent = await api().login(930_001, "en");
  await w.db.update(users).set({ role: "agent" }).where(eq(users.id, agent.user.id));
  customer = await api().login(930_002, "en");
  categoryId = await w.categoryId();
});

const newKey = () => `test-key-${Date.now()}-${seq++}`;

function send(token: string, path: string, body: unknown, key?: string) {
  return api().app.request(path, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function openTicket(): Promise<string> {
  const res = await send(customer.accessToken, "/api/tickets", { title: `Printer ${seq++}`, categoryId });
  expect(res.status).toBe(201);
  return (await res.json()).id;
}

const repliesIn = async (ticketId: string) =>
  w.db
    .select()
    .from(messages)
    .where(and(eq(messages.ticketId, ticketId), eq(messages.authorId, agent.user.id)));

const outboxFor = async (ticketId: string, recipientId: string) =>
  w.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.ticketId, ticketId), eq(notifications.recipientId, recipientId)));

describe("Idempotency-Key on POST /api/tickets/:id/messages", () => {
  it("posts a double-tapped reply once: one message row, one Telegram message for the requester", async () => {
    const ticketId = await openTicket();
    const before = (await outboxFor(ticketId, customer.user.id)).length;
    const key = newKey();
    const path = `/api/tickets/${ticketId}/messages`;
    const [a, b] = await Promise.all([
      send(agent.accessToken, path, { body: "Restart it, please" }, key),
      send(agent.accessToken, path, { body: "Restart it, please" }, key),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [first, second] = [await a.json(), await b.json()];
    expect(second).toEqual(first);
    expect(await repliesIn(ticketId)).toHaveLength(1);
    expect((await outboxFor(ticketId, customer.user.id)).length).toBe(before + 1);

    // A retry later (the answer was lost on the way) gets the same answer and writes nothing.
    const retry = await send(agent.accessToken, path, { body: "Restart it, please" }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(first);
    expect(await repliesIn(ticketId)).toHaveLength(1);
    expect((await outboxFor(ticketId, customer.user.id)).length).toBe(before + 1);
  });

  it("posts the same words twice when the sends have different keys, or none", async () => {
    const ticketId = await openTicket();
    const path = `/api/tickets/${ticketId}/messages`;
    expect((await send(agent.accessToken, path, { body: "Again" }, newKey())).status).toBe(201);
    expect((await send(agent.accessToken, path, { body: "Again" }, newKey())).status).toBe(201);
    expect((await send(agent.accessToken, path, { body: "Again" })).status).toBe(201);
    expect(await repliesIn(ticketId)).toHaveLength(3);
  });

  it("refuses a key reused for another body or another ticket with a translated 422", async () => {
    const ticketId = await openTicket();
    const other = await openTicket();
    const key = newKey();
    expect(
      (await send(agent.accessToken, `/api/tickets/${ticketId}/messages`, { body: "One" }, key)).status,
    ).toBe(201);
    const changed = await send(agent.accessToken, `/api/tickets/${ticketId}/messages`, { body: "Two" }, key);
    expect(changed.status).toBe(422);
    const answer = await changed.json();
    expect(answer.issues[0]).toMatchObject({ path: "Idempotency-Key", code: "idempotency_key_reused" });
    expect(answer.message).toContain("already used for a different request");
    const elsewhere = await send(agent.accessToken, `/api/tickets/${other}/messages`, { body: "One" }, key);
    expect(elsewhere.status).toBe(422);
    expect(await repliesIn(ticketId)).toHaveLength(1);
    expect(await repliesIn(other)).toHaveLength(0);
  });

  it("keeps keys per user: another person's same key is their own", async () => {
    const ticketId = await openTicket();
    const key = newKey();
    const path = `/api/tickets/${ticketId}/messages`;
    expect((await send(agent.accessToken, path, { body: "Same words" }, key)).status).toBe(201);
    expect(
      (await send(agent.accessToken, path, { body: "Same words" }, key)).headers.get("idempotent-replayed"),
    ).toBe("true");
    const theirs = await send(customer.accessToken, path, { body: "Same words" }, key);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    const all = await w.db.select().from(messages).where(eq(messages.ticketId, ticketId));
    expect(all.filter((m) => m.body === "Same words").map((m) => m.authorId)).toEqual([
      agent.user.id,
      customer.user.id,
    ]);
  });

  it("lets a refused request be retried with its key: a refusal is not kept", async () => {
    const ticketId = await openTicket();
    const key = newKey();
    const path = `/api/tickets/${ticketId}/messages`;
    // A requester may not write notes: 403, nothing written, the key stays free.
    const refused = await send(customer.accessToken, path, { body: "psst", internal: true }, key);
    expect(refused.status).toBe(403);
    const retried = await send(customer.accessToken, path, { body: "psst", internal: true }, key);
    expect(retried.status).toBe(403);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    const fixed = await send(customer.accessToken, path, { body: "psst" }, key);
    expect(fixed.status).toBe(201);
    // From now on the key stands for that success.
    const again = await send(customer.accessToken, path, { body: "psst" }, key);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const written = await w.db.select().from(messages).where(eq(messages.ticketId, ticketId));
    expect(written.filter((m) => m.body === "psst")).toHaveLength(1);
  });

  it("frees a key after 24 hours and clears expired keys away", async () => {
    const ticketId = await openTicket();
    const key = newKey();
    const path = `/api/tickets/${ticketId}/messages`;
    expect((await send(agent.accessToken, path, { body: "Day one" }, key)).status).toBe(201);
    const stale = newKey();
    expect((await send(agent.accessToken, path, { body: "Other" }, stale)).status).toBe(201);
    // Within the 24 hours the key replays; the stale one is still kept.
    expect((await send(agent.accessToken, path, { body: "Day two" }, key)).status).toBe(422);
    expect(await w.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, stale))).toHaveLength(1);
    w.clock.set(new Date(w.clock.now().getTime() + 25 * 60 * 60 * 1000));
    expect((await send(agent.accessToken, path, { body: "Day two" }, key)).status).toBe(201);
    expect((await repliesIn(ticketId)).map((m) => m.body)).toEqual(["Day one", "Other", "Day two"]);
    const left = await w.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, stale));
    expect(left).toEqual([]);
  });

  it("posts a double-tapped upload once", async () => {
    const ticketId = await openTicket();
    const key = newKey();
    const upload = () => {
      const form = new FormData();
      form.set("body", "The error");
      form.append("files", new File([new Uint8Array([1, 2, 3])], "shot.png", { type: "image/png" }));
      return api().app.request(`/api/tickets/${ticketId}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${agent.accessToken}`, "idempotency-key": key },
        body: form,
      });
    };
    const [a, b] = await Promise.all([upload(), upload()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await repliesIn(ticketId)).toHaveLength(1);
    expect(await w.db.select().from(attachments).where(eq(attachments.ticketId, ticketId))).toHaveLength(1);
  });
});

describe("Idempotency-Key on POST /api/tickets", () => {
  it("opens one ticket for a double tap and answers both with it", async () => {
    const key = newKey();
    const body = { title: "Double tapped", categoryId };
    const [a, b] = await Promise.all([
      send(customer.accessToken, "/api/tickets", body, key),
      send(customer.accessToken, "/api/tickets", body, key),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [first, second] = [await a.json(), await b.json()];
    expect(second.id).toBe(first.id);
    const mine = await w.db.select().from(tickets).where(eq(tickets.title, "Double tapped"));
    expect(mine).toHaveLength(1);
    const changed = await send(
      customer.accessToken,
      "/api/tickets",
      { ...body, title: "Something else" },
      key,
    );
    expect(changed.status).toBe(422);
  });

  it("refuses a key that is not one (too short) as invalid input", async () => {
    const res = await send(customer.accessToken, "/api/tickets", { title: "Short key", categoryId }, "abc");
    expect(res.status).toBe(422);
    expect(await w.db.select().from(tickets).where(eq(tickets.title, "Short key"))).toEqual([]);
  });
});
