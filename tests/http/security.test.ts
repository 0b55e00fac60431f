import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, users } from "../../drizzle/schema/index.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** What a signed-in caller must not be able to do by writing the request by hand. */
const dataDir = mkdtempSync(join(tmpdir(), "helpdesk-security-"));
const world = setupTestWorld();
const api = setupApi(world, { dataDir, sseHeartbeatMs: 150 });
let w: World;
let customer: { accessToken: string; user: { id: string } };
let categoryId: string;
const storedFiles = () => {
  try {
    return readdirSync(join(dataDir, "files"), { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    ).length;
  } catch {
    return 0;
  }
};

beforeAll(async () => {
  w = world();
  customer = await api().login(920_001, "en");
  categoryId = await w.categoryId();
});

describe("fields only the server may set", () => {
  it("ignores a Telegram origin in a message body, so no other ticket's message (a note) comes back", async () => {
    const agent = await w.user("agent");
    const other = await w.user("requester");
    const theirs = await createTicket({ ctx: w.ctx(other), input: { title: "Their ticket", categoryId } });
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: {
        ticketId: theirs.id,
        body: "SECRET internal note",
        internal: true,
        origin: { chatId: -1001, messageId: 7 },
      },
    });
    const mine = await (
      await api().call(customer.accessToken, "POST", "/api/tickets", { title: "Mine", categoryId })
    ).json();
    const res = await api().call(customer.accessToken, "POST", `/api/tickets/${mine.id}/messages`, {
      body: "hello",
      origin: { chatId: -1001, messageId: 7 },
    });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain("SECRET");
    expect(JSON.parse(text).message).toMatchObject({ body: "hello", ticketId: mine.id });
  });

  it("ignores attachments written into a new ticket's JSON (files come only from an upload)", async () => {
    const res = await api().call(customer.accessToken, "POST", "/api/tickets", {
      title: "With a forged file",
      categoryId,
      attachments: [
        {
          kind: "document",
          fileName: "x.html",
          mimeType: "text/html",
          sizeBytes: 10,
          storagePath: "any/path",
        },
      ],
    });
    expect(res.status).toBe(201);
    const ticket = await res.json();
    expect(await w.db.select().from(attachments).where(eq(attachments.ticketId, ticket.id))).toEqual([]);
  });
});

describe("uploads", () => {
  it("keeps no bytes for a ticket the caller may not write in, or a refused message", async () => {
    const other = await w.user("requester");
    const theirs = await createTicket({ ctx: w.ctx(other), input: { title: "Not yours", categoryId } });
    const mine = await (
      await api().call(customer.accessToken, "POST", "/api/tickets", { title: "Mine too", categoryId })
    ).json();
    const form = (internal: boolean) => {
      const f = new FormData();
      f.set("body", "see file");
      f.set("internal", String(internal));
      f.append("files", new File(["hello"], "a.txt", { type: "text/plain" }));
      return f;
    };
    const before = storedFiles();
    const post = (ticketId: string, internal: boolean) =>
      api().app.request(`/api/tickets/${ticketId}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${customer.accessToken}` },
        body: form(internal),
      });
    expect((await post(theirs.id, false)).status).toBe(404);
    expect((await post("00000000-0000-4000-8000-000000000000", false)).status).toBe(404);
    expect((await post(mine.id, true)).status).toBe(403); // a requester cannot write notes
    expect(storedFiles()).toBe(before);
    // A type with a parameter smuggled in is refused.
    const sneaky = new FormData();
    sneaky.append(
      "files",
      new File(["<script>"], "x.docx", {
        type: "application/vnd.openxmlformats-officedocument.x, text/html",
      }),
    );
    const res = await api().app.request(`/api/tickets/${mine.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${customer.accessToken}` },
      body: sneaky,
    });
    expect(res.status).toBe(422);
  });

  it("serves anything but a picture as a download of an inert type", async () => {
    const mine = await (
      await api().call(customer.accessToken, "POST", "/api/tickets", { title: "Text file", categoryId })
    ).json();
    const f = new FormData();
    f.append("files", new File(["<b>hi</b>"], "notes.txt", { type: "text/plain" }));
    await api().app.request(`/api/tickets/${mine.id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${customer.accessToken}` },
      body: f,
    });
    const [file] = await w.db.select().from(attachments).where(eq(attachments.ticketId, mine.id));
    const res = await api().call(customer.accessToken, "GET", `/api/files/${file.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    // Where the bytes live stays on the server.
    const thread = await api().call(customer.accessToken, "GET", `/api/tickets/${mine.id}/messages`);
    const [first] = (await thread.json()) as { attachments: Record<string, unknown>[] }[];
    expect(first.attachments[0]).toMatchObject({ id: file.id, fileName: "notes.txt" });
    expect(Object.keys(first.attachments[0])).not.toContain("storagePath");
  });
});

describe("the event stream", () => {
  it("ends when the account is deactivated, instead of streaming on", async () => {
    const agent = await api().login(920_050, "en");
    await w.db.update(users).set({ role: "agent" }).where(eq(users.id, agent.user.id));
    const res = await api().app.request(`/api/events?access_token=${encodeURIComponent(agent.accessToken)}`);
    expect(res.status).toBe(200);
    await w.db.update(users).set({ isActive: false }).where(eq(users.id, agent.user.id));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const end = Date.now() + 5_000;
    let done = false;
    while (!done && Date.now() < end) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((r) => setTimeout(() => r(null), 200)),
      ]);
      done = chunk?.done === true;
    }
    expect(done).toBe(true);
  });
});

describe("the event stream, while changes keep it busy", () => {
  it("still ends when the account is deactivated, and follows a change of branch", async () => {
    const agent = await api().login(920_060, "en");
    await w.db.update(users).set({ role: "agent" }).where(eq(users.id, agent.user.id));
    const res = await api().app.request(`/api/events?access_token=${encodeURIComponent(agent.accessToken)}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const home = await w.branch();
    // A change every 40 ms, so the stream never idles for a heartbeat (150 ms here). The
    // customer has no branch, so neither have the tickets.
    let busy = true;
    const traffic = (async () => {
      for (let i = 0; busy && i < 150; i++) {
        await api().call(customer.accessToken, "POST", "/api/tickets", { title: `Busy ${i}`, categoryId });
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    /** Reads for `ms`, or until `enough` says the text read so far is what was waited for. */
    const readFor = async (ms: number, enough: (text: string) => boolean = () => false) => {
      let text = "";
      let done = false;
      const end = Date.now() + ms;
      while (!done && !enough(text) && Date.now() < end) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), 100)),
        ]);
        if (chunk?.done) done = true;
        else if (chunk) text += new TextDecoder().decode(chunk.value);
      }
      return { text, done };
    };
    let after = { text: "", done: false };
    try {
      // Branchless, the agent sees every ticket; moved to a branch, no longer the branchless ones.
      // (Waited for, not timed: a busy machine may take a while to open the first ticket.)
      expect((await readFor(10_000, (t) => t.includes("ticket.created"))).text).toContain("ticket.created");
      await w.db.update(users).set({ branchId: home.id }).where(eq(users.id, agent.user.id));
      await readFor(400);
      expect((await readFor(800)).text).not.toContain("ticket.created");
      await w.db.update(users).set({ isActive: false }).where(eq(users.id, agent.user.id));
    } finally {
      after = await readFor(3_000);
      busy = false;
      await traffic;
    }
    expect(after.done).toBe(true);
  });
});

describe("tokens in URLs", () => {
  it("are refused everywhere but the event stream", async () => {
    const token = encodeURIComponent(customer.accessToken);
    expect((await api().app.request(`/api/tickets?access_token=${token}`)).status).toBe(401);
    expect((await api().app.request(`/api/auth/me?access_token=${token}`)).status).toBe(401);
    const [me] = await w.db.select().from(users).where(eq(users.id, customer.user.id));
    expect(me.isActive).toBe(true);
  });
});
