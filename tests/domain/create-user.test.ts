import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import { createUser, findUserByTelegramId, upsertTelegramUser } from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

let nextTg = 7_000_000;
const person = (extra: Record<string, unknown> = {}) => ({
  telegramId: nextTg++,
  firstName: "Nima",
  ...extra,
});

describe("registering a person before their first message", () => {
  it("lets admins and owners register anyone up to their own rank, with branch and language", async () => {
    const admin = await w.user("admin");
    const owner = await w.user("owner");
    const branch = await w.branch();
    const input = person({ lastName: "Karimi", username: "@nima_k", role: "moderator", language: "ru" });
    const made = await createUser({ ctx: w.ctx(admin), input: { ...input, branchId: branch.id } });
    expect(made).toMatchObject({
      telegramId: input.telegramId,
      firstName: "Nima",
      lastName: "Karimi",
      username: "nima_k",
      role: "moderator",
      branchId: branch.id,
      language: "ru",
      isActive: true,
    });
    expect(await outcome(createUser({ ctx: w.ctx(admin), input: person({ role: "admin" }) }))).toBe("ok");
    expect(await outcome(createUser({ ctx: w.ctx(admin), input: person({ role: "owner" }) }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(createUser({ ctx: w.ctx(owner), input: person({ role: "owner" }) }))).toBe("ok");
    // Nothing said: a requester without a branch, in Persian.
    const plain = await createUser({ ctx: w.ctx(admin), input: person() });
    expect(plain).toMatchObject({ role: "requester", branchId: null, language: "fa" });
  });

  it("refuses requesters, agents and auditors", async () => {
    for (const role of ["requester", "agent", "auditor"] as const) {
      const actor = await w.user(role);
      const input = person();
      expect(await outcome(createUser({ ctx: w.ctx(actor), input }))).toBe("FORBIDDEN");
      expect(await findUserByTelegramId(w.db, input.telegramId)).toBeNull();
    }
  });

  it("holds a moderator to requesters and agents of their own branch", async () => {
    const home = await w.branch();
    const away = await w.branch();
    const moderator = await w.user("moderator", { branchId: home.id });
    const ctx = w.ctx(moderator);
    // No branch given: the moderator's own.
    const agent = await createUser({ ctx, input: person({ role: "agent" }) });
    expect(agent.branchId).toBe(home.id);
    expect(await outcome(createUser({ ctx, input: person({ role: "agent", branchId: home.id }) }))).toBe(
      "ok",
    );
    expect(await outcome(createUser({ ctx, input: person({ role: "moderator" }) }))).toBe("FORBIDDEN");
    expect(await outcome(createUser({ ctx, input: person({ role: "auditor" }) }))).toBe("FORBIDDEN");
    expect(await outcome(createUser({ ctx, input: person({ role: "agent", branchId: away.id }) }))).toBe(
      "FORBIDDEN",
    );
    // A branchless agent serves every branch: not one branch's moderator's to create.
    expect(await outcome(createUser({ ctx, input: person({ role: "agent", branchId: null }) }))).toBe(
      "FORBIDDEN",
    );
    // A branchless requester (a customer) is theirs to register, as to manage.
    expect(await outcome(createUser({ ctx, input: person({ branchId: null }) }))).toBe("ok");
  });

  it("answers a Telegram id already known with CONFLICT, naming the field, and changes nothing", async () => {
    const admin = await w.user("admin");
    const known = await upsertTelegramUser(
      w.db,
      { telegramId: nextTg++, firstName: "Leila" },
      { language: "en" },
    );
    const err = await createUser({
      ctx: w.ctx(admin),
      input: { telegramId: known.telegramId, firstName: "Someone", role: "agent" },
    }).catch((e) => e);
    expect(err).toMatchObject({
      code: "CONFLICT",
      issues: [expect.objectContaining({ path: "telegramId" })],
    });
    const after = await findUserByTelegramId(w.db, known.telegramId);
    expect(after).toMatchObject({ firstName: "Leila", role: "requester" });
  });

  it("refuses bad input with field issues: ids, names, usernames, unknown branches", async () => {
    const admin = await w.user("admin");
    const ctx = w.ctx(admin);
    const paths = async (input: unknown) =>
      createUser({ ctx, input }).then(
        () => [],
        (e) => (e.issues as { path: string }[]).map((i) => i.path),
      );
    expect(await paths({ telegramId: -5, firstName: "A" })).toEqual(["telegramId"]);
    expect(await paths({ telegramId: 1.5, firstName: "A" })).toEqual(["telegramId"]);
    expect(await paths({ telegramId: nextTg++, firstName: "  " })).toEqual(["firstName"]);
    expect(await paths({ telegramId: nextTg++, firstName: "A", username: "no spaces" })).toEqual([
      "username",
    ]);
    expect(await paths({ telegramId: nextTg++, firstName: "A", role: "king" })).toEqual(["role"]);
    expect(
      await paths({ telegramId: nextTg++, firstName: "A", branchId: "00000000-0000-4000-8000-000000000000" }),
    ).toEqual(["branchId"]);
  });

  it("writes an audit row with who registered whom, as what", async () => {
    const admin = await w.user("admin");
    const made = await createUser({ ctx: w.ctx(admin), input: person({ role: "agent" }) });
    const rows = await w.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, made.id), eq(auditLog.action, "user.create")));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: admin.id,
      entity: "user",
      after: expect.objectContaining({ telegramId: made.telegramId, role: "agent" }),
    });
  });

  it("keeps the role, branch and language given when the person then arrives from Telegram", async () => {
    const admin = await w.user("admin");
    const branch = await w.branch();
    const made = await createUser({
      ctx: w.ctx(admin),
      input: person({ firstName: "Typed by admin", role: "agent", branchId: branch.id, language: "en" }),
    });
    // Their first /start or Mini App sign-in: Telegram's names and language_code.
    const arrived = await upsertTelegramUser(
      w.db,
      { telegramId: made.telegramId, firstName: "Nima", username: "nima_real", languageCode: "fa" },
      { language: "fa" },
    );
    expect(arrived).toMatchObject({
      id: made.id,
      firstName: "Nima",
      username: "nima_real",
      role: "agent",
      branchId: branch.id,
      language: "en",
      isActive: true,
    });
    const [stored] = await w.db.select().from(users).where(eq(users.id, made.id));
    expect(stored).toMatchObject({ role: "agent", branchId: branch.id });
  });
});
