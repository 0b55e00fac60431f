import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import {
  bootstrapOwners,
  findUserByTelegramId,
  getUser,
  listUsers,
  setNotificationPrefs,
  setUserActive,
  setUserBranch,
  setUserLanguage,
  setUserRole,
  upsertTelegramUser,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const code = outcome;

describe("users from Telegram", () => {
  it("keeps fa/en/ru from language_code on creation only, and refreshes names", async () => {
    const ru = await upsertTelegramUser(
      w.db,
      { telegramId: 501, firstName: "Иван", languageCode: "ru-RU" },
      { language: "fa" },
    );
    expect(ru.language).toBe("ru");
    const de = await upsertTelegramUser(
      w.db,
      { telegramId: 502, firstName: "Jan", languageCode: "de" },
      { language: "fa" },
    );
    expect(de.language).toBe("fa");
    await setUserLanguage({ ctx: w.ctx(ru), input: { language: "en" } });
    const again = await upsertTelegramUser(
      w.db,
      { telegramId: 501, firstName: "Ivan", languageCode: "ru" },
      { language: "fa" },
    );
    expect(again.language).toBe("en");
    expect(again.firstName).toBe("Ivan");
    expect(again.languageChosen).toBe(true);
  });

  it("makes BOOTSTRAP_ADMIN_IDS owners, creating them when unknown", async () => {
    const existing = await upsertTelegramUser(
      w.db,
      { telegramId: 601, firstName: "Ali" },
      { language: "fa" },
    );
    await bootstrapOwners(w.db, [601, 602], "fa");
    expect((await findUserByTelegramId(w.db, 601))?.role).toBe("owner");
    expect((await findUserByTelegramId(w.db, 602))?.role).toBe("owner");
    expect((await findUserByTelegramId(w.db, 601))?.id).toBe(existing.id);
  });
});

describe("account management rules", () => {
  it("never lets anyone grant a role above their own", async () => {
    const admin = await w.user("admin");
    const moderator = await w.user("moderator", { branchId: (await w.branch()).id });
    const target = await w.user("requester", { branchId: moderator.branchId });
    expect(await code(setUserRole({ ctx: w.ctx(admin), input: { userId: target.id, role: "owner" } }))).toBe(
      "FORBIDDEN",
    );
    expect(await code(setUserRole({ ctx: w.ctx(admin), input: { userId: target.id, role: "admin" } }))).toBe(
      "ok",
    );
    const agentToBe = await w.user("requester", { branchId: moderator.branchId });
    expect(
      await code(setUserRole({ ctx: w.ctx(moderator), input: { userId: agentToBe.id, role: "moderator" } })),
    ).toBe("FORBIDDEN");
    expect(
      await code(setUserRole({ ctx: w.ctx(moderator), input: { userId: agentToBe.id, role: "agent" } })),
    ).toBe("ok");
    const agent = await w.user("agent");
    expect(
      await code(setUserRole({ ctx: w.ctx(agent), input: { userId: target.id, role: "requester" } })),
    ).toBe("FORBIDDEN");
  });

  it("lets moderators manage only requesters and agents of their own branch", async () => {
    const home = await w.branch();
    const away = await w.branch();
    const moderator = await w.user("moderator", { branchId: home.id });
    const mine = await w.user("agent", { branchId: home.id });
    const theirs = await w.user("agent", { branchId: away.id });
    const peer = await w.user("moderator", { branchId: home.id });
    expect(
      await code(setUserActive({ ctx: w.ctx(moderator), input: { userId: mine.id, active: false } })),
    ).toBe("ok");
    expect(
      await code(setUserActive({ ctx: w.ctx(moderator), input: { userId: theirs.id, active: false } })),
    ).toBe("FORBIDDEN");
    expect(
      await code(setUserActive({ ctx: w.ctx(moderator), input: { userId: peer.id, active: false } })),
    ).toBe("FORBIDDEN");
    expect(
      await code(setUserBranch({ ctx: w.ctx(moderator), input: { userId: mine.id, branchId: away.id } })),
    ).toBe("FORBIDDEN");
    const listed = await listUsers({ ctx: w.ctx(moderator), input: {} });
    expect(listed.some((u) => u.id === theirs.id)).toBe(false);
    expect(listed.some((u) => u.id === mine.id)).toBe(true);
    expect(await code(getUser({ ctx: w.ctx(moderator), input: { userId: theirs.id } }))).toBe("NOT_FOUND");
  });

  it("refuses listing users to requesters, agents and auditors", async () => {
    for (const role of ["requester", "agent", "auditor"] as const) {
      expect(await code(listUsers({ ctx: w.ctx(await w.user(role)), input: {} }))).toBe("FORBIDDEN");
    }
  });

  it("keeps the last active owner: no demotion, no deactivation", async () => {
    await w.db.update(users).set({ role: "admin" }).where(eq(users.role, "owner"));
    const owner = await w.user("owner");
    const second = await w.user("owner");
    expect(await code(setUserRole({ ctx: w.ctx(owner), input: { userId: second.id, role: "admin" } }))).toBe(
      "ok",
    );
    expect(await code(setUserRole({ ctx: w.ctx(owner), input: { userId: owner.id, role: "admin" } }))).toBe(
      "LAST_OWNER",
    );
    expect(await code(setUserActive({ ctx: w.ctx(owner), input: { userId: owner.id, active: false } }))).toBe(
      "FORBIDDEN",
    );
    const admin = await w.user("admin");
    expect(await code(setUserActive({ ctx: w.ctx(admin), input: { userId: owner.id, active: false } }))).toBe(
      "FORBIDDEN",
    );
  });

  it("audits every admin change with before and after", async () => {
    const admin = await w.user("admin");
    const target = await w.user("requester");
    await setUserRole({ ctx: w.ctx(admin), input: { userId: target.id, role: "agent" } });
    const rows = await w.db.select().from(auditLog).where(eq(auditLog.entityId, target.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: admin.id,
      action: "user.set_role",
      before: { role: "requester" },
    });
  });

  it("refuses a deactivated account before any verb runs", async () => {
    const gone = await w.user("agent", { isActive: false });
    expect(() => w.ctx(gone)).toThrow(expect.objectContaining({ code: "USER_INACTIVE" }));
  });

  it("stores notification preferences per kind, keeping the others", async () => {
    const agent = await w.user("agent");
    await setNotificationPrefs({ ctx: w.ctx(agent), input: { prefs: { new_ticket: true } } });
    const after = await setNotificationPrefs({ ctx: w.ctx(agent), input: { prefs: { new_message: false } } });
    expect(after.notifyPrefs).toEqual({ new_ticket: true, new_message: false });
    expect(await code(setNotificationPrefs({ ctx: w.ctx(agent), input: { prefs: { bogus: true } } }))).toBe(
      "VALIDATION",
    );
  });
});
