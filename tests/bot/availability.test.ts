import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { assignmentPolicies, scheduledJobs, users } from "../../drizzle/schema/index.js";
import { drainJobKey } from "../../server/domain/index.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupBot } from "./bot-harness.js";

const STAFF = -1004100;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

const awayOf = async (telegramId: number) =>
  (await w.db.select().from(users).where(eq(users.telegramId, telegramId)))[0].away;

describe("/away and /back", () => {
  it("marks a staff member away and back, in the private chat and the staff group, and starts a drain on return", async () => {
    const { send, textsTo } = botWorld();
    const branch = await w.branch();
    await w.db.insert(assignmentPolicies).values({ branchId: branch.id, strategy: "round_robin" });
    const agentTg = tgUser(610_001, "en");
    await send(updates.text(agentTg, "/help"));
    await w.db
      .update(users)
      .set({ role: "agent", branchId: branch.id })
      .where(eq(users.telegramId, agentTg.id));

    await send(updates.text(agentTg, "/away"));
    expect(await awayOf(agentTg.id)).toBe(true);
    expect(textsTo(agentTg.id).at(-1)).toContain("marked away");

    await send(updates.groupText(agentTg, STAFF, "/back"));
    expect(await awayOf(agentTg.id)).toBe(false);
    expect(textsTo(STAFF).at(-1)).toContain("Welcome back");
    const [drain] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, drainJobKey(branch.id)));
    expect(drain?.state).toBe("pending");
  });

  it("refuses requesters, in their language", async () => {
    const { send, textsTo } = botWorld();
    const requesterTg = tgUser(610_002, "ru");
    await send(updates.text(requesterTg, "/away"));
    expect(await awayOf(requesterTg.id)).toBe(false);
    expect(textsTo(requesterTg.id).at(-1)).not.toContain("away");
    expect(textsTo(requesterTg.id).at(-1)).toMatch(/[\u0400-\u04FF]/);
  });
});
