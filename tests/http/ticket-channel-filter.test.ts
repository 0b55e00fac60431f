import { beforeAll, describe, expect, it } from "vitest";
import { addTicketMessage, createTicket, getBreakdownReport } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * GET /api/tickets?channel=: the queue's channel filter, the one a channel's bar in the
 * reports' breakdown opens (where the requester first wrote: bot, miniapp, staff_chat,
 * or none when only the opening form exists). The bar and the list count alike.
 */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let token: string;
const numbers: Record<string, string> = {};

beforeAll(async () => {
  w = world();
  const categoryId = await w.categoryId();
  const requester = await w.user("requester");
  const admin = await w.user("admin");
  w.clock.set(new Date("2026-03-10T08:00:00Z"));
  const as = w.ctx(requester);
  for (const [title, sources] of [
    ["by bot", ["bot", "miniapp"]],
    ["by app", ["miniapp"]],
    ["by staff chat", ["staff_chat", "bot"]],
    ["form only", []],
  ] as const) {
    const t = await createTicket({ ctx: as, input: { title, categoryId } });
    numbers[title] = t.number;
    for (const source of sources)
      await addTicketMessage({ ctx: as, input: { ticketId: t.id, body: "hi", source } });
  }
  token = (await api().login(admin.telegramId)).accessToken;
});

const list = async (query: string) => {
  const res = await api().call(token, "GET", `/api/tickets?${query}`);
  return { status: res.status, body: await res.json() };
};

describe("the queue's channel filter", () => {
  it("lists the tickets whose requester first wrote through that channel", async () => {
    const of = async (channel: string) =>
      (await list(`channel=${channel}&sort=created_asc`)).body.items.map((t: { number: string }) => t.number);
    expect(await of("bot")).toEqual([numbers["by bot"]]);
    expect(await of("miniapp")).toEqual([numbers["by app"]]);
    expect(await of("staff_chat")).toEqual([numbers["by staff chat"]]);
    expect(await of("none")).toEqual([numbers["form only"]]);
    expect(await of("bot,none")).toEqual([numbers["by bot"], numbers["form only"]]);
  });

  it("counts what the breakdown's channel bar counts", async () => {
    const { rows } = await getBreakdownReport({
      ctx: w.ctx(await w.user("admin")),
      input: { from: "2026-03-10", to: "2026-03-10", by: "channel" },
    });
    for (const row of rows) {
      const { body } = await list(`channel=${row.key}`);
      expect([row.key, body.items.length]).toEqual([row.key, row.created]);
    }
    expect(rows.map((r) => r.key).sort()).toEqual(["bot", "miniapp", "none", "staff_chat"]);
  });

  it("refuses a channel that does not exist", async () => {
    const { status, body } = await list("channel=email");
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toContain("channel");
  });
});
