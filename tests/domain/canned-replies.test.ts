import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, auditLog, messages } from "../../drizzle/schema/index.js";
import {
  createCannedReply,
  createTicket,
  DomainError,
  deleteCannedReply,
  listCannedReplies,
  previewCannedReply,
  renderCannedReply,
  sendCannedReply,
  updateCannedReply,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const body = (text: string) => ({ en: text });

describe("canned replies: who uses and manages which", () => {
  it("lists own personal, own branch's and global replies; not colleagues' or other branches'", async () => {
    const [b1, b2] = [await w.branch(), await w.branch()];
    const admin = w.ctx(await w.user("admin"));
    const mod1 = w.ctx(await w.user("moderator", { branchId: b1.id }));
    const agent1 = await w.user("agent", { branchId: b1.id });
    const colleague = w.ctx(await w.user("agent", { branchId: b1.id }));
    const mine = await createCannedReply({ ctx: w.ctx(agent1), input: { title: "Mine", bodies: body("m") } });
    await createCannedReply({ ctx: colleague, input: { title: "Colleague's", bodies: body("c") } });
    const branch1 = await createCannedReply({
      ctx: mod1,
      input: { scope: "branch", title: "Branch one", bodies: body("b1") },
    });
    await createCannedReply({
      ctx: admin,
      input: { scope: "branch", branchId: b2.id, title: "Branch two", bodies: body("b2") },
    });
    const global = await createCannedReply({
      ctx: admin,
      input: { scope: "global", title: "Global", bodies: body("g") },
    });
    expect(branch1.branchId).toBe(b1.id);
    expect(mine.ownerId).toBe(agent1.id);

    const listed = await listCannedReplies({ ctx: w.ctx(agent1) });
    const ids = listed.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, branch1.id, global.id]));
    expect(listed.map((r) => r.title)).not.toContain("Colleague's");
    expect(listed.map((r) => r.title)).not.toContain("Branch two");
    expect(listed.find((r) => r.id === mine.id)?.canManage).toBe(true);
    expect(listed.find((r) => r.id === global.id)?.canManage).toBe(false);
    // Admins may ask for every reply (the management screen).
    const all = await listCannedReplies({ ctx: admin, input: { all: true } });
    expect(all.map((r) => r.title)).toEqual(expect.arrayContaining(["Colleague's", "Branch two"]));
  });

  it("refuses what a role may not manage, and auditors and requesters altogether", async () => {
    const b = await w.branch();
    const other = await w.branch();
    const agent = w.ctx(await w.user("agent", { branchId: b.id }));
    const mod = w.ctx(await w.user("moderator", { branchId: b.id }));
    const input = (scope: string, branchId?: string) => ({ scope, branchId, title: "t", bodies: body("x") });
    expect(await outcome(createCannedReply({ ctx: agent, input: input("branch") }))).toBe("FORBIDDEN");
    expect(await outcome(createCannedReply({ ctx: agent, input: input("global") }))).toBe("FORBIDDEN");
    expect(await outcome(createCannedReply({ ctx: mod, input: input("global") }))).toBe("FORBIDDEN");
    expect(await outcome(createCannedReply({ ctx: mod, input: input("branch", other.id) }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(createCannedReply({ ctx: mod, input: input("branch") }))).toBe("ok");
    for (const role of ["auditor", "requester"] as const) {
      const ctx = w.ctx(await w.user(role));
      expect(await outcome(createCannedReply({ ctx, input: input("personal") }))).toBe("FORBIDDEN");
      expect(await outcome(listCannedReplies({ ctx }))).toBe("FORBIDDEN");
    }
    // An agent cannot touch a colleague's personal reply nor lift their own to global.
    const theirs = await createCannedReply({ ctx: mod, input: input("personal") });
    expect(await outcome(updateCannedReply({ ctx: agent, input: { id: theirs.id, title: "x" } }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(deleteCannedReply({ ctx: agent, input: { id: theirs.id } }))).toBe("FORBIDDEN");
    const own = await createCannedReply({ ctx: agent, input: input("personal") });
    expect(await outcome(updateCannedReply({ ctx: agent, input: { id: own.id, scope: "global" } }))).toBe(
      "FORBIDDEN",
    );
  });

  it("lets admins change anyone's reply without taking it over, and move branch replies", async () => {
    const [b1, b2] = [await w.branch(), await w.branch()];
    const admin = w.ctx(await w.user("admin"));
    const agent = await w.user("agent", { branchId: b1.id });
    const mod = w.ctx(await w.user("moderator", { branchId: b1.id }));
    const personal = await createCannedReply({ ctx: w.ctx(agent), input: { title: "p", bodies: body("x") } });
    const kept = await updateCannedReply({
      ctx: admin,
      input: { id: personal.id, scope: "personal", branchId: null, title: "fixed" },
    });
    expect(kept).toMatchObject({ title: "fixed", scope: "personal", ownerId: agent.id });
    const branch = await createCannedReply({
      ctx: mod,
      input: { scope: "branch", title: "b", bodies: body("x") },
    });
    expect(await outcome(updateCannedReply({ ctx: mod, input: { id: branch.id, branchId: b2.id } }))).toBe(
      "FORBIDDEN",
    );
    const moved = await updateCannedReply({ ctx: admin, input: { id: branch.id, branchId: b2.id } });
    expect(moved).toMatchObject({ scope: "branch", branchId: b2.id });
  });

  it("validates title and bodies", async () => {
    const ctx = w.ctx(await w.user("agent"));
    const codes = async (input: unknown) => {
      try {
        await createCannedReply({ ctx, input });
      } catch (e) {
        if (e instanceof DomainError) return e.issues.map((i) => `${i.path}:${i.code}`);
      }
      return [];
    };
    expect(await codes({ title: "x".repeat(101), bodies: body("a") })).toEqual(["title:too_big"]);
    expect(await codes({ title: "t", bodies: {} })).toEqual(["bodies:required"]);
    expect(await codes({ title: "t", bodies: { fa: "x".repeat(4097) } })).toEqual(["bodies.fa:too_big"]);
  });

  it("changes and deletes with audit rows, and searches Persian text typed with Arabic letters", async () => {
    const actor = await w.user("agent");
    const ctx = w.ctx(actor);
    const reply = await createCannedReply({
      ctx,
      input: { title: "سلام", bodies: { fa: "با تشکر از یکی از شما" } },
    });
    // ي and ك (Arabic keyboard) find ی and ک.
    const found = await listCannedReplies({ ctx, input: { q: "تشكر" } });
    expect(found.map((r) => r.id)).toEqual([reply.id]);
    expect(await listCannedReplies({ ctx, input: { q: "يكي" } })).toHaveLength(1);
    expect(await listCannedReplies({ ctx, input: { q: "nothing-like-this" } })).toEqual([]);

    const changed = await updateCannedReply({ ctx, input: { id: reply.id, bodies: { en: "Thanks" } } });
    expect(changed.bodies).toEqual({ en: "Thanks" });
    await deleteCannedReply({ ctx, input: { id: reply.id } });
    expect((await listCannedReplies({ ctx })).map((r) => r.id)).not.toContain(reply.id);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, reply.id));
    expect(audit.map((a) => a.action).sort()).toEqual([
      "canned_reply.create",
      "canned_reply.delete",
      "canned_reply.update",
    ]);
    expect(audit.every((a) => a.actorId === actor.id)).toBe(true);
  });
});

describe("rendering", () => {
  const facts = {
    ticket: { number: "T-20260320-0001", title: "Printer" },
    requester: { firstName: "Sara", lastName: "Ahmadi" },
    agent: { firstName: "Ali" },
    branch: { name: "North" },
  };

  it("uses the requester's language, else the first one written", () => {
    const reply = { bodies: { fa: "سلام {requester.first_name}", ru: "Привет {requester.first_name}" } };
    expect(renderCannedReply(reply, { ...facts, language: "ru" })).toEqual({
      body: "Привет Sara",
      language: "ru",
    });
    expect(renderCannedReply(reply, { ...facts, language: "en" }).body).toBe("سلام Sara");
    expect(renderCannedReply({ bodies: { ru: "x" } }, { ...facts, language: null }).language).toBe("ru");
  });

  it("fills every documented placeholder and leaves unknown ones as written", () => {
    const text =
      "{requester.first_name} {requester.last_name}, {ticket.number} «{ticket.title}» — {agent.first_name} @ {branch.name} {ticket.secret} {x}";
    expect(renderCannedReply({ bodies: { en: text } }, { ...facts, language: "en" }).body).toBe(
      "Sara Ahmadi, T-20260320-0001 «Printer» — Ali @ North {ticket.secret} {x}",
    );
    expect(
      renderCannedReply(
        { bodies: { en: "{requester.last_name}|" } },
        { ...facts, requester: null, language: "en" },
      ).body,
    ).toBe("|");
  });
});

describe("sending", () => {
  it("adds one message in the requester's language with the reply's files", async () => {
    const b = await w.branch();
    const requester = await w.user("requester", { firstName: "Sara", language: "ru", branchId: b.id });
    const agent = await w.user("agent", { firstName: "Ali", branchId: b.id });
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Printer jam", categoryId: await w.categoryId() },
    });
    const reply = await createCannedReply({
      ctx: w.ctx(agent),
      input: {
        title: "Greeting",
        bodies: {
          en: "Hi {requester.first_name}",
          ru: "Здравствуйте, {requester.first_name}! {ticket.number}",
        },
        files: [
          { kind: "photo", fileName: "a.jpg", mimeType: "image/jpeg", sizeBytes: 10, tgFileId: "AgAD-file" },
          {
            kind: "document",
            fileName: "b.pdf",
            mimeType: "application/pdf",
            sizeBytes: 20,
            storagePath: "canned/x",
          },
        ],
      },
    });
    const preview = await previewCannedReply({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, cannedReplyId: reply.id },
    });
    expect(preview.body).toBe(`Здравствуйте, Sara! ${ticket.number}`);

    const before = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    const { message, ticket: after } = await sendCannedReply({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, cannedReplyId: reply.id },
    });
    const stored = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(stored.length - before.length).toBe(1);
    expect(message.body).toBe(preview.body);
    expect(message.authorId).toBe(agent.id);
    expect(after.firstResponseAt).not.toBeNull();
    const files = await w.db.select().from(attachments).where(eq(attachments.messageId, message.id));
    expect(files.map((f) => [f.fileName, f.tgFileId, f.storagePath]).sort()).toEqual([
      ["a.jpg", "AgAD-file", null],
      ["b.pdf", null, "canned/x"],
    ]);
  });

  it("refuses a reply the sender may not use and a ticket outside their scope", async () => {
    const [b1, b2] = [await w.branch(), await w.branch()];
    const requester = await w.user("requester", { branchId: b2.id });
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Elsewhere", categoryId: await w.categoryId() },
    });
    const agent = w.ctx(await w.user("agent", { branchId: b1.id }));
    const colleague = w.ctx(await w.user("agent", { branchId: b2.id }));
    const own = await createCannedReply({ ctx: agent, input: { title: "Own", bodies: body("x") } });
    expect(
      await outcome(
        sendCannedReply({ ctx: colleague, input: { ticketId: ticket.id, cannedReplyId: own.id } }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await outcome(sendCannedReply({ ctx: agent, input: { ticketId: ticket.id, cannedReplyId: own.id } })),
    ).toBe("NOT_FOUND");
    const auditor = w.ctx(await w.user("auditor"));
    expect(
      await outcome(sendCannedReply({ ctx: auditor, input: { ticketId: ticket.id, cannedReplyId: own.id } })),
    ).toBe("FORBIDDEN");
  });
});
