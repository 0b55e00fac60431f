import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, tickets } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  createTicket,
  editTicketMessage,
  getTicket,
  getTicketSummary,
  listTicketMessages,
  setPresence,
  setUserSkills,
  updateSettings,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const photo = (sizeBytes: number) => ({
  kind: "photo" as const,
  fileName: "screen.jpg",
  mimeType: "image/jpeg",
  sizeBytes,
  tgFileId: "AgACAgIAAxkBAAI",
  tgFileUniqueId: "AQADx",
});

describe("creating tickets", () => {
  it("files a requester's ticket in their own branch; a branchless customer may pick one", async () => {
    const home = await w.branch();
    const away = await w.branch();
    const staffer = await w.user("requester", { branchId: home.id });
    const customer = await w.user("requester");
    const categoryId = await w.categoryId();
    const own = await createTicket({ ctx: w.ctx(staffer), input: { title: "Own branch", categoryId } });
    expect(own.branchId).toBe(home.id);
    expect(
      await outcome(
        createTicket({ ctx: w.ctx(staffer), input: { title: "Elsewhere", categoryId, branchId: away.id } }),
      ),
    ).toBe("FORBIDDEN");
    const picked = await createTicket({
      ctx: w.ctx(customer),
      input: { title: "Picked", categoryId, branchId: away.id },
    });
    expect(picked.branchId).toBe(away.id);
    expect(
      await outcome(
        createTicket({
          ctx: w.ctx(customer),
          input: { title: "Nowhere", categoryId, branchId: "00000000-0000-4000-8000-000000000000" },
        }),
      ),
    ).toBe("VALIDATION");
  });

  it("makes one ticket for a retried create with the same idempotency key", async () => {
    const requester = await w.user("requester");
    const input = {
      title: "Retried",
      categoryId: await w.categoryId(),
      idempotencyKey: `bot-${requester.id}-1`,
    };
    const results = await Promise.all([1, 2, 3].map(() => createTicket({ ctx: w.ctx(requester), input })));
    expect(new Set(results.map((t) => t.id)).size).toBe(1);
    const [row] = await w.db
      .select({ n: count() })
      .from(tickets)
      .where(eq(tickets.requesterId, requester.id));
    expect(row.n).toBe(1);
  });

  it("keeps attachments and refuses files over the size limit with nothing stored", async () => {
    const requester = await w.user("requester");
    const categoryId = await w.categoryId();
    const t = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "With photo", categoryId, attachments: [photo(2048)] },
    });
    expect((await getTicket({ ctx: w.ctx(requester), input: { ticketId: t.id } })).attachments).toHaveLength(
      1,
    );
    const tooBig = await outcome(
      createTicket({
        ctx: w.ctx(requester),
        input: { title: "Huge", categoryId, attachments: [photo(11 * 1024 * 1024)] },
      }),
    );
    expect(tooBig).toBe("LIMIT_EXCEEDED");
    const admin = await w.user("admin");
    await updateSettings({ ctx: w.ctx(admin), input: { max_file_mb: 1 } });
    expect(
      await outcome(
        addTicketMessage({
          ctx: w.ctx(requester),
          input: { ticketId: t.id, attachments: [photo(2 * 1024 * 1024)] },
        }),
      ),
    ).toBe("LIMIT_EXCEEDED");
    await updateSettings({ ctx: w.ctx(admin), input: { max_file_mb: null } });
    const stored = await w.db.select().from(attachments).where(eq(attachments.ticketId, t.id));
    expect(stored).toHaveLength(1);
  });

  it("refuses empty titles, too long descriptions and empty messages with field issues", async () => {
    const requester = await w.user("requester");
    const categoryId = await w.categoryId();
    await expect(
      createTicket({ ctx: w.ctx(requester), input: { title: "  ", categoryId } }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [expect.objectContaining({ path: "title" })],
    });
    await expect(
      createTicket({
        ctx: w.ctx(requester),
        input: { title: "Long", categoryId, description: "x".repeat(4001) },
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    const t = await createTicket({ ctx: w.ctx(requester), input: { title: "Fine", categoryId } });
    await expect(
      addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: t.id, body: "   " } }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
    });
  });
});

describe("editing and staff details", () => {
  it("applies a Telegram edit to the author's stored message only", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const t = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Edit me", categoryId: await w.categoryId() },
    });
    const origin = { chatId: requester.telegramId, messageId: 9001 };
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: t.id, body: "tpyo", origin } });
    expect(await outcome(editTicketMessage({ ctx: w.ctx(agent), input: { origin, body: "hijack" } }))).toBe(
      "FORBIDDEN",
    );
    const edited = await editTicketMessage({ ctx: w.ctx(requester), input: { origin, body: "typo" } });
    expect(edited.editedAt).not.toBeNull();
    const thread = await listTicketMessages({ ctx: w.ctx(requester), input: { ticketId: t.id } });
    expect(thread.map((m) => m.body)).toEqual(["typo"]);
    expect(
      await outcome(
        editTicketMessage({
          ctx: w.ctx(requester),
          input: { origin: { ...origin, messageId: 1 }, body: "x" },
        }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("sets skills (known categories only) and presence (staff only)", async () => {
    const admin = await w.user("admin");
    const agent = await w.user("agent");
    const categoryId = await w.categoryId("software");
    const skilled = await setUserSkills({
      ctx: w.ctx(admin),
      input: { userId: agent.id, categoryIds: [categoryId] },
    });
    expect(skilled.skills).toEqual([categoryId]);
    expect(
      await outcome(
        setUserSkills({
          ctx: w.ctx(admin),
          input: { userId: agent.id, categoryIds: ["00000000-0000-4000-8000-000000000000"] },
        }),
      ),
    ).toBe("VALIDATION");
    expect((await setPresence({ ctx: w.ctx(agent), input: { presence: "online" } })).presence).toBe("online");
    expect(
      await outcome(setPresence({ ctx: w.ctx(await w.user("requester")), input: { presence: "online" } })),
    ).toBe("FORBIDDEN");
  });
});

describe("getTicketSummary", () => {
  it("gives the ticket, its category and the last public messages with text, never notes, in scope only", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const stranger = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Summary please", categoryId: await w.categoryId("software") },
    });
    const say = (who: typeof agent, body: string, internal = false) =>
      addTicketMessage({ ctx: w.ctx(who), input: { ticketId: ticket.id, body, internal } });
    await say(requester, "one");
    await say(agent, "two");
    await say(agent, "a note", true);
    await say(requester, "three");
    await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, attachments: [photo(1000)] },
    });
    await say(agent, "four");

    const summary = await getTicketSummary({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, recent: 3 },
    });
    expect(summary.ticket.id).toBe(ticket.id);
    expect(summary.category?.code).toBe("software");
    expect(summary.recent.map((m) => m.body)).toEqual(["two", "three", "four"]);
    expect(summary.recent[0].createdAt).toBeInstanceOf(Date);
    expect(summary.recent[0]).toMatchObject({ ticketId: ticket.id, authorId: agent.id, isInternal: false });
    const none = await getTicketSummary({ ctx: w.ctx(requester), input: { ticketId: ticket.id, recent: 0 } });
    expect(none).toMatchObject({ recent: [], ticket: { id: ticket.id } });
    const quiet = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "No words yet", categoryId: await w.categoryId("network") },
    });
    const empty = await getTicketSummary({ ctx: w.ctx(requester), input: { ticketId: quiet.id } });
    expect(empty).toMatchObject({ recent: [], category: { code: "network" }, ticket: { id: quiet.id } });
    const forStaff = await getTicketSummary({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, recent: 10 },
    });
    expect(forStaff.recent.map((m) => m.body)).not.toContain("a note");
    expect(await outcome(getTicketSummary({ ctx: w.ctx(stranger), input: { ticketId: ticket.id } }))).toBe(
      "NOT_FOUND",
    );
  });
});
