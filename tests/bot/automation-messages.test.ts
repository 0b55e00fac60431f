import { eq } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, scheduledJobs, tickets, users } from "../../drizzle/schema/index.js";
import { createAutomationRule } from "../../server/domain/index.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { openTicketAs, setupBot } from "./bot-harness.js";

/** A message rule hears a requester's plain message in the bot's private chat. */
const STAFF = -1004400;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

describe("message rules through the bot", () => {
  it("queue a job for a requester's private message and raise the priority", async () => {
    const [admin] = await w.db.insert(users).values({ telegramId: 560_999, role: "admin" }).returning();
    await createAutomationRule({
      ctx: w.ctx(admin),
      input: {
        name: "Shouting",
        event: "message_created",
        conditions: [{ field: "text", op: "contains", value: "urgent" }],
        actions: [{ type: "set_priority", value: "critical" }],
      },
    });
    const { send } = botWorld();
    const { requesterTg, ticket } = await openTicketAs(botWorld(), w, tgUser(560_001, "en"), "VPN down");
    // "Reply" on the ticket's card: the session replies to it, and the update's own read brings its facts.
    await send(updates.callback(requesterTg, `reply:${ticket.id.replaceAll("-", "")}`));
    await send(updates.text(requesterTg, "It is URGENT please"));
    const [message] = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(message?.body).toBe("It is URGENT please");
    const [job] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `automation:message:${message.id}`));
    expect(job?.state).toBe("pending");

    await createScheduler({
      db: w.db,
      clock: w.clock,
      system: () => w.system(),
      handlers: { automation: jobHandlers.automation },
      logger: pino({ level: "silent" }),
    }).runDue();
    const [after] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(after.priority).toBe("critical");
  });
});
