import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, auditLog, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** /api/canned-replies and POST /api/tickets/:id/canned through the HTTP door, signed in with initData. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let agent: string;
let agentId: string;
let admin: string;
let requester: string;

const as = async (telegramId: number, role: "admin" | "agent" | "requester", lang = "en") => {
  const s = await api().login(telegramId, lang);
  await w.db
    .update(users)
    .set({ role, firstName: `U${telegramId}` })
    .where(eq(users.id, s.user.id));
  return { token: s.accessToken, id: s.user.id };
};

beforeAll(async () => {
  w = world();
  ({ token: agent, id: agentId } = await as(950_001, "agent"));
  ({ token: admin } = await as(950_002, "admin"));
  ({ token: requester } = await as(950_003, "requester"));
});

describe("canned replies over HTTP", () => {
  it("creates, searches, changes and deletes by role, audited", async () => {
    const created = await api().call(agent, "POST", "/api/canned-replies", {
      title: "Restart",
      bodies: { en: "Please restart, {requester.first_name}." },
    });
    expect(created.status).toBe(201);
    const reply = (await created.json()) as { id: string; scope: string; ownerId: string };
    expect(reply).toMatchObject({ scope: "personal", ownerId: agentId });
    expect(
      (
        await api().call(agent, "POST", "/api/canned-replies", {
          scope: "global",
          title: "G",
          bodies: { en: "g" },
        })
      ).status,
    ).toBe(403);
    expect((await api().call(requester, "GET", "/api/canned-replies")).status).toBe(403);
    const invalid = await api().call(agent, "POST", "/api/canned-replies", { title: "x", bodies: {} });
    expect(invalid.status).toBe(422);

    const found = await api().call(agent, "GET", "/api/canned-replies?q=restart");
    expect(
      ((await found.json()) as { id: string; canManage: boolean }[]).map((r) => [r.id, r.canManage]),
    ).toEqual([[reply.id, true]]);
    expect(await (await api().call(agent, "GET", "/api/canned-replies?q=zzz")).json()).toEqual([]);

    const patched = await api().call(agent, "PATCH", `/api/canned-replies/${reply.id}`, { title: "Reboot" });
    expect(await patched.json()).toMatchObject({ title: "Reboot" });
    // Files are uploads only: JSON cannot name someone else's stored file.
    const stolen = await api().call(agent, "PATCH", `/api/canned-replies/${reply.id}`, {
      files: [
        { fileName: "x", mimeType: "application/pdf", sizeBytes: 1, storagePath: "tickets/other/secret" },
      ],
    });
    expect(stolen.status).toBe(422);
    expect((await api().call(admin, "DELETE", `/api/canned-replies/${reply.id}`)).status).toBe(204);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, reply.id));
    expect(audit.map((a) => a.action)).toEqual([
      "canned_reply.create",
      "canned_reply.update",
      "canned_reply.delete",
    ]);
  });

  it("uploads a file to a reply, previews and sends it on a ticket with the file", async () => {
    const created = await api().call(agent, "POST", "/api/canned-replies", {
      title: "Manual",
      bodies: { en: "Here is the manual for {ticket.number}, {requester.first_name}" },
    });
    const reply = (await created.json()) as { id: string };
    const form = new FormData();
    form.append(
      "files",
      new File([new Uint8Array([37, 80, 68, 70])], "manual.pdf", { type: "application/pdf" }),
    );
    const uploaded = await api().app.request(`/api/canned-replies/${reply.id}/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${agent}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const withFile = (await uploaded.json()) as { files: { fileName: string; storagePath: string }[] };
    expect(withFile.files.map((f) => f.fileName)).toEqual(["manual.pdf"]);
    expect(withFile.files[0].storagePath).toMatch(new RegExp(`^canned/${reply.id}/`));

    const [owner] = await w.db.select().from(users).where(eq(users.telegramId, 950_003));
    const ticket = await createTicket({
      ctx: w.ctx(owner),
      input: { title: "Projector", categoryId: await w.categoryId() },
    });
    const preview = await api().call(
      agent,
      "GET",
      `/api/canned-replies/${reply.id}/preview?ticketId=${ticket.id}`,
    );
    const expected = `Here is the manual for ${ticket.number}, U950003`;
    expect(await preview.json()).toEqual({ body: expected, language: "en" });

    expect(
      (await api().call(requester, "POST", `/api/tickets/${ticket.id}/canned`, { cannedReplyId: reply.id }))
        .status,
    ).toBe(403);
    const sent = await api().call(agent, "POST", `/api/tickets/${ticket.id}/canned`, {
      cannedReplyId: reply.id,
    });
    expect(sent.status).toBe(201);
    const { message } = (await sent.json()) as { message: { id: string; body: string; source: string } };
    expect(message).toMatchObject({ body: expected, source: "miniapp" });
    const files = await w.db.select().from(attachments).where(eq(attachments.messageId, message.id));
    expect(files.map((f) => f.fileName)).toEqual(["manual.pdf"]);
    // The requester downloads the file through the usual permission check.
    const thread = await api().call(requester, "GET", `/api/tickets/${ticket.id}/messages`);
    const mine = ((await thread.json()) as { id: string; attachments: { id: string }[] }[]).find(
      (m) => m.id === message.id,
    );
    const bytes = await api().call(requester, "GET", `/api/files/${mine?.attachments[0].id}`);
    expect(bytes.status).toBe(200);
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new Uint8Array([37, 80, 68, 70]));
  });
});
