import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** /api/automation-rules through the HTTP door, signed in with initData. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let admin: string;
let agent: string;

const as = async (telegramId: number, role: "admin" | "agent") => {
  const s = await api().login(telegramId, "en");
  await w.db.update(users).set({ role }).where(eq(users.id, s.user.id));
  return s.accessToken;
};

beforeAll(async () => {
  w = world();
  admin = await as(950_001, "admin");
  agent = await as(950_002, "agent");
});

describe("automation rules over HTTP", () => {
  it("lets admins list, create, change and delete rules, audited; refuses staff", async () => {
    const body = {
      name: "Network first",
      event: "ticket_created",
      match: "any",
      conditions: [
        { field: "category", op: "is", value: await w.categoryId("network") },
        { field: "text", op: "contains", value: "vpn" },
      ],
      actions: [{ type: "set_priority", value: "high" }],
    };
    expect((await api().call(agent, "GET", "/api/automation-rules")).status).toBe(403);
    expect((await api().call(agent, "POST", "/api/automation-rules", body)).status).toBe(403);
    const created = await api().call(admin, "POST", "/api/automation-rules", body);
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: string; active: boolean; position: number };
    expect(rule).toMatchObject({ active: true, position: 0 });

    const patched = await api().call(admin, "PATCH", `/api/automation-rules/${rule.id}`, { active: false });
    expect(await patched.json()).toMatchObject({ active: false, name: "Network first" });
    const listed = (await (await api().call(admin, "GET", "/api/automation-rules")).json()) as {
      id: string;
    }[];
    expect(listed.map((r) => r.id)).toContain(rule.id);

    expect((await api().call(admin, "DELETE", `/api/automation-rules/${rule.id}`)).status).toBe(204);
    expect((await api().call(admin, "DELETE", `/api/automation-rules/${rule.id}`)).status).toBe(404);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, rule.id));
    expect(audit.map((a) => a.action).sort()).toEqual([
      "automation_rule.create",
      "automation_rule.delete",
      "automation_rule.update",
    ]);
  });

  it("refuses a malformed action, a wrong operator, an unknown id and an author condition on a ticket event", async () => {
    const bad = await api().call(admin, "POST", "/api/automation-rules", {
      name: "Bad",
      event: "ticket_updated",
      conditions: [
        { field: "priority", op: "contains", value: "high" },
        { field: "author", op: "is", value: "requester" },
      ],
      actions: [{ type: "notify_chat", chatId: "x" }],
    });
    expect(bad.status).toBe(422);
    const paths = ((await bad.json()).issues as { path: string; code: string }[]).map((i) => [
      i.path,
      i.code,
    ]);
    expect(paths).toContainEqual(["conditions.0.op", "rule_bad_operator"]);
    expect(paths.some(([p]) => p.startsWith("actions.0"))).toBe(true);

    const author = await api().call(admin, "POST", "/api/automation-rules", {
      name: "Author",
      event: "ticket_updated",
      conditions: [{ field: "author", op: "is", value: "requester" }],
      actions: [{ type: "assign_auto" }],
    });
    expect((await author.json()).issues).toMatchObject([
      { path: "conditions.0.field", code: "rule_author_needs_message" },
    ]);

    const unknown = await api().call(admin, "POST", "/api/automation-rules", {
      name: "Unknown",
      event: "message_created",
      actions: [{ type: "send_canned", cannedReplyId: "00000000-0000-4000-8000-000000000000" }],
    });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).issues).toMatchObject([
      { path: "actions.0.cannedReplyId", code: "rule_unknown_ref" },
    ]);
  });
});
