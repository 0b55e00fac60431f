import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { initDataUser, signInitData } from "../helpers/init-data.js";
import { BOT_TOKEN, setupApi } from "./http-harness.js";

const world = setupTestWorld();
const api = setupApi(world);
const strict = setupApi(world, {
  rateLimits: { auth: { perMinute: 60, burst: 3 }, writes: { perMinute: 60, burst: 5 } },
});
// One limit tight at a time, so a test shows which key (account, address) it counts by.
const perAccount = setupApi(world, { rateLimits: { authPerUser: { perMinute: 1, burst: 2 } } });
const perAddress = setupApi(world, { rateLimits: { writesPerAddress: { perMinute: 1, burst: 3 } } });
const perUser = setupApi(world, { rateLimits: { writes: { perMinute: 1, burst: 2 } } });
let w: World;
let staff: { accessToken: string; user: { id: string } };
let customer: { accessToken: string; user: { id: string } };
let categoryId: string;

beforeAll(async () => {
  w = world();
  staff = await api().login(910_001, "fa");
  await w.db.update(users).set({ role: "agent" }).where(eq(users.id, staff.user.id));
  customer = await api().login(910_002, "en");
  categoryId = await w.categoryId();
});

describe("validation", () => {
  it("answers malformed bodies and queries with 422, field issues and the user's language, never 500", async () => {
    const cases: Array<[string, string, unknown]> = [
      ["POST", "/api/tickets", { title: "x", categoryId }],
      ["POST", "/api/tickets", { title: "Valid title", categoryId: "not-a-uuid" }],
      ["GET", "/api/tickets?status=nope", undefined],
      ["GET", "/api/tickets?limit=100000", undefined],
      ["GET", "/api/tickets?cursor=%%%", undefined],
      ["GET", "/api/tickets/not-a-uuid", undefined],
      ["PATCH", "/api/settings", { auto_close_hours: "fast" }],
    ];
    for (const [method, path, body] of cases) {
      const res = await api().call(staff.accessToken, method, path, body);
      // Bodies are checked at the door, before the verb's role check: a malformed one is 422 for anyone.
      expect({ path, status: res.status }).toEqual({ path, status: 422 });
    }
    const res = await api().call(customer.accessToken, "POST", "/api/tickets", { title: "x", categoryId });
    const body = await res.json();
    expect(body.code).toBe("VALIDATION");
    expect(body.issues[0].path).toBe("title");
    expect(body.message).toContain("not valid");
    const raw = await api().app.request("/api/tickets", {
      method: "POST",
      headers: { authorization: `Bearer ${customer.accessToken}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(422);
    // A typed route refuses a malformed JSON body the same way.
    const badPatch = await api().app.request(`/api/users/${staff.user.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${staff.accessToken}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(badPatch.status).toBe(422);
    // Without a JSON Content-Type the body is still read and checked, never taken for "{}".
    const plain = await api().app.request(`/api/users/${staff.user.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${staff.accessToken}`, "content-type": "text/plain" },
      body: JSON.stringify({ language: "klingon" }),
    });
    expect(plain.status).toBe(422);
    const wrongType = await api().call(staff.accessToken, "PATCH", "/api/users/me/preferences", {
      language: "de",
    });
    expect(wrongType.status).toBe(422);
    const fa = await api().call(staff.accessToken, "GET", "/api/tickets?status=nope");
    expect((await fa.json()).message).toContain("معتبر نیست");
  });
});

describe("the API description", () => {
  it("lists every /api route the server has, with the request schemas it validates with", async () => {
    const res = await api().app.request("/api/openapi.json");
    type Operation = {
      parameters: { name: string; in: string; required: boolean }[];
      requestBody: {
        content: { "application/json": { schema: { properties: object; required: string[] } } };
      };
    };
    const doc = (await res.json()) as { paths: Record<string, Record<string, Operation>> };
    const described = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    );
    const served = api()
      .app.routes.filter((r) => r.path.startsWith("/api/") && !r.path.includes("*") && r.method !== "ALL")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(30);
    for (const route of served) expect(described, route).toContain(route);

    const create = doc.paths["/api/tickets"].post.requestBody.content["application/json"].schema;
    expect((create.properties as Record<string, unknown>).title).toMatchObject({
      type: "string",
      minLength: 3,
      maxLength: 120,
    });
    expect(create.required).toContain("categoryId");
    const patch = doc.paths["/api/tickets/{id}"].patch;
    expect(patch.parameters[0]).toMatchObject({ name: "id", in: "path", required: true });
    expect(Object.keys(patch.requestBody.content["application/json"].schema.properties)).not.toContain(
      "ticketId",
    );
    const list = doc.paths["/api/tickets"].get.parameters.map((p) => p.name);
    for (const name of ["status", "q", "cursor", "assigneeId"]) expect(list).toContain(name);
  });
});

describe("a ticket through the API", () => {
  it("opens, answers with a file, streams the file back only to those who may see it", async () => {
    const created = await api().call(customer.accessToken, "POST", "/api/tickets", {
      title: "Monitor flickers",
      categoryId,
    });
    expect(created.status).toBe(201);
    const ticket = await created.json();
    const form = new FormData();
    form.set("body", "Here is a photo");
    form.append("files", new File([new Uint8Array([137, 80, 78, 71])], "screen.png", { type: "image/png" }));
    const upload = await api().app.request(`/api/tickets/${ticket.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${customer.accessToken}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const [file] = await w.db.select().from(attachments).where(eq(attachments.ticketId, ticket.id));
    const mine = await api().call(customer.accessToken, "GET", `/api/files/${file.id}`);
    expect(mine.status).toBe(200);
    expect(new Uint8Array(await mine.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
    const stranger = await api().login(910_003);
    expect((await api().call(stranger.accessToken, "GET", `/api/files/${file.id}`)).status).toBe(404);

    const bad = new FormData();
    bad.append("files", new File(["#!/bin/sh"], "run.sh", { type: "application/x-sh" }));
    const refused = await api().app.request(`/api/tickets/${ticket.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${customer.accessToken}` },
      body: bad,
    });
    expect(refused.status).toBe(422);
    const big = new FormData();
    big.append("files", new File([new Uint8Array(2 * 1024 * 1024)], "big.png", { type: "image/png" }));
    const tooBig = await api().app.request(`/api/tickets/${ticket.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${customer.accessToken}` },
      body: big,
    });
    expect(tooBig.status).toBe(413);
  });
});

describe("live updates", () => {
  it("stream a change made by another user to an open SSE connection in scope, and not out of it", async () => {
    const watcher = await api().call(staff.accessToken, "GET", "/api/events");
    const outsider = await api().call((await api().login(910_004)).accessToken, "GET", "/api/events");
    expect(watcher.headers.get("content-type")).toContain("text/event-stream");
    const read = async (res: Response, until: string, ms = 3000) => {
      const reader = res.body!.getReader();
      let text = "";
      const end = Date.now() + ms;
      while (!text.includes(until) && Date.now() < end) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), 200)),
        ]);
        if (chunk && !chunk.done) text += new TextDecoder().decode(chunk.value);
      }
      await reader.cancel();
      return text;
    };
    await api().call(customer.accessToken, "POST", "/api/tickets", { title: "Live one", categoryId });
    const seen = await read(watcher, "ticket.created");
    expect(seen).toContain("event: ticket.created");
    const notSeen = await read(outsider, "ticket.created", 600);
    expect(notSeen).not.toContain("ticket.created");
  });
});

describe("rate limits", () => {
  it("answer 429 with Retry-After when a client signs in or writes too fast", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await strict().app.request("/api/auth/telegram", {
        method: "POST",
        headers: { authorization: "tma x" },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // The same address's bucket holds for logging out (which looks refresh tokens up) too.
    const logout = await strict().app.request("/api/auth/logout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: "x".repeat(40) }),
    });
    expect(logout.status).toBe(429);
  });

  it("cannot be dodged by writing a different X-Forwarded-For each time", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await strict().app.request("/api/auth/telegram", {
        method: "POST",
        headers: { authorization: "tma x", "x-forwarded-for": `203.0.113.${i}` },
      });
      statuses.push(res.status);
    }
    // Five "different" clients, one bucket of three: the forged addresses share it.
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it("limits sign-ins per Telegram account, whichever address they come from", async () => {
    const signIn = (telegramId: number) =>
      perAccount().app.request("/api/auth/telegram", {
        method: "POST",
        headers: {
          authorization: `tma ${signInitData({ user: initDataUser(telegramId, "en") }, BOT_TOKEN)}`,
        },
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await signIn(910_050)).status);
    expect(statuses).toEqual([200, 200, 429]);
    // Another account is not held back by the first one's bucket.
    expect((await signIn(910_051)).status).toBe(200);
  });

  it("limits writes per user and, more loosely, per address", async () => {
    const a = await perUser().login(910_060, "en");
    const b = await perUser().login(910_061, "en");
    const note = (token: string, api = perUser) =>
      api().call(token, "PATCH", "/api/users/me/preferences", { language: "en" });
    expect([(await note(a.accessToken)).status, (await note(a.accessToken)).status]).toEqual([200, 200]);
    const refused = await note(a.accessToken);
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe("RATE_LIMITED");
    // Reads are not writes, and the next user has a bucket of their own.
    expect((await perUser().call(a.accessToken, "GET", "/api/auth/me")).status).toBe(200);
    expect((await note(b.accessToken)).status).toBe(200);

    // Per address: three writes from one address, whoever makes them; the fourth is refused.
    const c = await perAddress().login(910_062, "en");
    const d = await perAddress().login(910_063, "en");
    const byAddress = [c, d, c, d].map((u) => u.accessToken);
    const statuses = [];
    for (const token of byAddress) statuses.push((await note(token, perAddress)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
