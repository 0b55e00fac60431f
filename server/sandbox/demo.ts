import { eq } from "drizzle-orm";
import { notifications } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  type ContextFactory,
  changeTicketStatus,
  createBranch,
  createCategory,
  createTicket,
  type Db,
  findUserByTelegramId,
  listBranches,
  listCategories,
  setUserBranch,
  setUserRole,
  updateTicket,
  upsertTelegramUser,
} from "../domain/index.js";
import type { SandboxPerson } from "./cast.js";
import {
  BRANCHES,
  CATEGORIES,
  DEMO_REQUESTERS,
  DEMO_STAFF,
  PRIORITIES,
  STORIES,
  TARGETS,
} from "./demo-stories.js";

/**
 * The demo school helpdesk the sandbox starts with: three branches, two more
 * categories, eight staff, ~40 tickets in fa, en and ru across every status and
 * priority, with replies, internal notes, files and history. Everything goes through
 * the domain's verbs, so numbering, permissions, history and SLA clocks hold.
 * Seeded once: a database that already has branches is left alone.
 */

/** Seeds the demo once; returns how many tickets it made (0: already seeded). */
export async function seedDemo(db: Db, contexts: ContextFactory, people: SandboxPerson[]): Promise<number> {
  const ownerPerson = people.find((p) => p.role === "owner");
  const owner = ownerPerson ? await findUserByTelegramId(db, ownerPerson.id) : null;
  if (!owner) return 0;
  const asOwner = contexts.forUser(owner);
  if ((await listBranches({ ctx: asOwner, input: {} })).length > 0) return 0;

  const branchIds: string[] = [];
  for (const b of BRANCHES) branchIds.push((await createBranch({ ctx: asOwner, input: b })).id);
  for (const c of CATEGORIES) await createCategory({ ctx: asOwner, input: c });
  const categoryIds = (await listCategories({ ctx: asOwner, input: {} })).map((c) => c.id);

  // Staff: the page's personas and the demo's own, each agent and moderator in a branch.
  const staffPeople = [...people.filter((p) => p.role !== "requester" && p.role !== "owner"), ...DEMO_STAFF];
  const staff = [];
  for (const [i, p] of staffPeople.entries()) {
    const user = await upsertTelegramUser(db, telegramUserOf(p), { language: p.language });
    if (user.role !== p.role) await setUserRole({ ctx: asOwner, input: { userId: user.id, role: p.role } });
    // The page's moderator and agent stay branch-less (they see every demo ticket).
    const branchId = i < 3 ? null : branchIds[i % branchIds.length];
    if (branchId) await setUserBranch({ ctx: asOwner, input: { userId: user.id, branchId } });
    if (p.role === "agent" || p.role === "moderator") {
      const fresh = await findUserByTelegramId(db, p.id);
      if (fresh) staff.push(fresh);
    }
  }

  const requesterPeople = [...people.filter((p) => p.role === "requester"), ...DEMO_REQUESTERS];
  const requesters = [];
  for (const p of requesterPeople) {
    requesters.push({
      person: p,
      user: await upsertTelegramUser(db, telegramUserOf(p), { language: p.language }),
    });
  }

  let made = 0;
  for (let i = 0; i < 40; i++) {
    const { person, user: requester } = requesters[i % requesters.length];
    const lang = person.language;
    const stories = STORIES[lang];
    const story = stories[Math.floor(i / requesters.length) % stories.length];
    const target = TARGETS[i % TARGETS.length];
    const priority = PRIORITIES[Math.floor(i / 5) % PRIORITIES.length];
    const asRequester = contexts.forUser(requester);
    const ticket = await createTicket({
      ctx: asRequester,
      input: {
        title: story.title,
        description: story.description,
        categoryId: categoryIds[i % categoryIds.length],
        priority,
        branchId: branchIds[i % branchIds.length],
        attachments:
          i % 4 === 0
            ? [
                {
                  kind: i % 8 === 0 ? "photo" : "document",
                  fileName: i % 8 === 0 ? "photo.jpg" : "report.pdf",
                  mimeType: i % 8 === 0 ? "image/jpeg" : "application/pdf",
                  sizeBytes: 48_000,
                  tgFileId: `demo-file-${i}`,
                  tgFileUniqueId: `demo-unique-${i}`,
                },
              ]
            : [],
      },
    });
    made++;
    if (target === "open") {
      if (i % 2 === 0)
        await addTicketMessage({ ctx: asRequester, input: { ticketId: ticket.id, body: story.followUp } });
      continue;
    }
    // Only staff of the ticket's branch (or of none) may take it.
    const eligible = staff.filter((s) => s.branchId === null || s.branchId === ticket.branchId);
    const agent = eligible[i % eligible.length];
    const asAgent = contexts.forUser(agent);
    // Assigning starts the work (open → in_progress) by itself.
    const assigned = await assignTicket({
      ctx: asOwner,
      input: { ticketId: ticket.id, assigneeId: agent.id },
    });
    if (assigned.status !== "in_progress")
      await changeTicketStatus({ ctx: asAgent, input: { ticketId: ticket.id, status: "in_progress" } });
    await addTicketMessage({
      ctx: asAgent,
      input: { ticketId: ticket.id, body: story.note, internal: true, source: "miniapp" },
    });
    await addTicketMessage({
      ctx: asAgent,
      input: { ticketId: ticket.id, body: story.reply, source: "miniapp" },
    });
    if (i % 3 === 0)
      await updateTicket({
        ctx: asAgent,
        input: { ticketId: ticket.id, priority: PRIORITIES[(PRIORITIES.indexOf(priority) + 1) % 4] },
      });
    if (target === "in_progress") continue;
    if (target === "waiting_customer") {
      await changeTicketStatus({ ctx: asAgent, input: { ticketId: ticket.id, status: "waiting_customer" } });
      continue;
    }
    await addTicketMessage({ ctx: asRequester, input: { ticketId: ticket.id, body: story.followUp } });
    await changeTicketStatus({ ctx: asAgent, input: { ticketId: ticket.id, status: "resolved" } });
    if (target === "closed")
      await changeTicketStatus({ ctx: asAgent, input: { ticketId: ticket.id, status: "closed" } });
  }
  return made;
}

function telegramUserOf(p: SandboxPerson) {
  return {
    telegramId: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    username: p.username,
    languageCode: p.language,
  };
}

/**
 * The demo's past is not replayed to the sandbox's Telegram: the messages its seeding
 * queued (new-ticket posts, replies) are marked skipped, as if sent long ago.
 */
export async function skipDemoDeliveries(db: Db): Promise<void> {
  await db.update(notifications).set({ state: "skipped" }).where(eq(notifications.state, "pending"));
}
