import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * The Mini App's live chat view over HTTP: GET /api/live/current and
 * /api/live/ticket/:ticketId, and POST /api/live/:id/typing reaching the other
 * side's private chat (the TypingIndicator) and their event stream.
 */
const world = setupTestWorld();
const shownIn: number[] = [];
const api = setupApi(world, { typing: { show: (chat) => shownIn.push(chat) } });
let w: World;

const TG = { operator: 961_001, requester: 961_002, stranger: 961_003 };
const as = async (telegramId: number, role: "agent" | "requester") => {
  const s = await api().login(telegramId, "en");
  await w.db.update(users).set({ role, presence: "offline" }).where(eq(users.id, s.user.id));
  return { token: s.accessToken, id: s.user.id };
};
const json = async (res: Response) => ({ status: res.status, body: await res.json() });

/** Reads an event stream until `until` appears or `ms` pass. */
async function read(res: Response, until: string, ms = 3000) {
  const reader = res.body!.getReader();
  let text = "";
  const end = Date.now() + ms;
  while (!text.includes(until) && Date.now() < end) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), 200)),
    ]);
    if (chunk && !chunk.done) text += new TextDecoder().decode(chunk.value);
  }
  await reader.cancel();
  return text;
}

let operator: { token: string; id: string };
let requester: { token: string; id: string };
let stranger: { token: string; id: string };

beforeAll(async () => {
  w = world();
  await w.db.update(users).set({ presence: "offline" });
  operator = await as(TG.operator, "agent");
  requester = await as(TG.requester, "requester");
  stranger = await as(TG.stranger, "requester");
});

describe("the live chat view over HTTP", () => {
  it("finds the requester's open chat, names each side, and passes typing to the other side", async () => {
    expect(await json(await api().call(requester.token, "GET", "/api/live/current"))).toEqual({
      status: 200,
      body: { chat: null },
    });
    const asked = (await json(await api().call(requester.token, "POST", "/api/live/ask", {}))).body;
    const chatId: string = asked.chat.id;
    const ticketId: string = asked.chat.ticketId;
    const current = await json(await api().call(requester.token, "GET", "/api/live/current"));
    expect(current.body.chat).toMatchObject({ id: chatId, state: "queued", position: 1 });

    // Nobody to show it to yet.
    expect(
      (await json(await api().call(requester.token, "POST", `/api/live/${chatId}/typing`))).body,
    ).toEqual({
      shown: false,
    });

    await api().call(operator.token, "PUT", "/api/presence", { presence: "online" });
    expect((await api().call(operator.token, "POST", `/api/live/${chatId}/accept`)).status).toBe(200);
    const seenBy = async (token: string) =>
      (await json(await api().call(token, "GET", `/api/live/ticket/${ticketId}`))).body.chat;
    expect(await seenBy(operator.token)).toMatchObject({ side: "operator", state: "active" });
    expect(await seenBy(requester.token)).toMatchObject({ side: "requester", operatorId: operator.id });
    expect((await api().call(stranger.token, "GET", `/api/live/ticket/${ticketId}`)).status).toBe(404);
    expect((await api().call(stranger.token, "POST", `/api/live/${chatId}/typing`)).status).toBe(404);
    expect((await api().call(requester.token, "POST", "/api/live/not-a-uuid/typing")).status).toBe(422);

    // The operator's stream hears the requester typing; their private chat is shown it.
    const stream = await api().call(operator.token, "GET", "/api/events");
    const typed = await json(await api().call(requester.token, "POST", `/api/live/${chatId}/typing`));
    expect(typed).toEqual({ status: 200, body: { shown: true } });
    const seen = await read(stream, "live.typing");
    expect(seen).toContain("event: live.typing");
    expect(seen).toContain(`"by":"${requester.id}"`);
    expect(shownIn).toEqual([TG.operator]);
    // A second signal at once is dropped (one per 3 s per side).
    expect(
      (await json(await api().call(requester.token, "POST", `/api/live/${chatId}/typing`))).body,
    ).toEqual({
      shown: false,
    });
    // The operator typing reaches the requester.
    expect((await json(await api().call(operator.token, "POST", `/api/live/${chatId}/typing`))).body).toEqual(
      {
        shown: true,
      },
    );
    expect(shownIn).toEqual([TG.operator, TG.requester]);
  });
});
