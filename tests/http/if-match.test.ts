import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { labels, tickets, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** Two staff screens on one ticket: the one showing an old copy loses cleanly (412), and nothing is lost. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let ana: { accessToken: string; user: { id: string } };
let ben: { accessToken: string; user: { id: string } };
let customer: { accessToken: string; user: { id: string } };
let categoryId: string;

beforeAll(async () => {
  w = world();
  ana = await api().login(940_001, "en");
  ben = await api().login(940_002, "ru");
  for (const u of [ana, ben])
    await w.db.update(users).set({ role: "moderator" }).where(eq(users.id, u.user.id));
  customer = await api().login(940_003, "en");
  categoryId = await w.categoryId();
});

function patch(token: string, path: string, body: unknown, ifMatch?: string) {
  return api().app.request(path, {
    method: "PATCH",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(ifMatch ? { "if-match": ifMatch } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function openTicket(): Promise<{ id: string; etag: string }> {
  const created = await api().call(customer.accessToken, "POST", "/api/tickets", {
    title: "Door lock",
    categoryId,
  });
  const { id } = await created.json();
  const read = await api().call(ana.accessToken, "GET", `/api/tickets/${id}`);
  const etag = read.headers.get("etag");
  expect(etag).toMatch(/^"[0-9a-z]+"$/);
  return { id, etag: etag as string };
}

describe("If-Match on ticket changes", () => {
  it("applies a change made from the current copy and answers with the new ETag", async () => {
    const { id, etag } = await openTicket();
    const res = await patch(ana.accessToken, `/api/tickets/${id}`, { priority: "high" }, etag);
    expect(res.status).toBe(200);
    const next = res.headers.get("etag");
    expect(next).not.toBe(etag);
    const again = await patch(
      ana.accessToken,
      `/api/tickets/${id}/status`,
      { status: "in_progress" },
      next ?? "",
    );
    expect(again.status).toBe(200);
    // The ETag of a fresh read is the one the last change answered with.
    const read = await api().call(ana.accessToken, "GET", `/api/tickets/${id}`);
    expect(read.headers.get("etag")).toBe(again.headers.get("etag"));
  });

  it("refuses every change from a stale copy with a translated 412 and changes nothing", async () => {
    const { id, etag } = await openTicket();
    expect(
      (await patch(ana.accessToken, `/api/tickets/${id}`, { title: "Door lock broken" }, etag)).status,
    ).toBe(200);
    const [before] = await w.db.select().from(tickets).where(eq(tickets.id, id));
    const stale = [
      await patch(ben.accessToken, `/api/tickets/${id}`, { priority: "critical" }, etag),
      await patch(ben.accessToken, `/api/tickets/${id}/status`, { status: "resolved" }, etag),
      await patch(ben.accessToken, `/api/tickets/${id}/assignee`, { assigneeId: ben.user.id }, etag),
    ];
    for (const res of stale) {
      expect(res.status).toBe(412);
      const body = await res.json();
      expect(body.code).toBe("PRECONDITION_FAILED");
      expect(body.message).toContain("изменил");
    }
    const [after] = await w.db.select().from(tickets).where(eq(tickets.id, id));
    expect(after).toEqual(before);
  });

  it("lets one of two racing changes from the same copy through", async () => {
    const { id, etag } = await openTicket();
    const results = await Promise.all([
      patch(ana.accessToken, `/api/tickets/${id}`, { priority: "low" }, etag),
      patch(ben.accessToken, `/api/tickets/${id}`, { priority: "critical" }, etag),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it("answers 404, not 412, for a ticket out of the caller's scope", async () => {
    const { id, etag } = await openTicket();
    const stranger = await api().login(940_004, "en");
    const res = await patch(stranger.accessToken, `/api/tickets/${id}`, { priority: "low" }, `"x${etag}"`);
    expect(res.status).toBe(404);
  });
});

describe("changes without If-Match", () => {
  it("write only the fields given, so two editors' different fields both stay", async () => {
    const { id } = await openTicket();
    const [label] = await w.db
      .insert(labels)
      .values({ name: `vip-${Date.now()}` })
      .returning();
    expect((await patch(ana.accessToken, `/api/tickets/${id}`, { labelIds: [label.id] })).status).toBe(200);
    expect(
      (await patch(ben.accessToken, `/api/tickets/${id}`, { title: "Door lock, 2nd floor" })).status,
    ).toBe(200);
    expect((await patch(ana.accessToken, `/api/tickets/${id}`, { priority: "high" })).status).toBe(200);
    const read = await (await api().call(ana.accessToken, "GET", `/api/tickets/${id}`)).json();
    expect(read).toMatchObject({ title: "Door lock, 2nd floor", priority: "high" });
    expect(read.labelIds).toEqual([label.id]);
  });
});
