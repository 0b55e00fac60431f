import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { liveChats, users } from "../../drizzle/schema/index.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { harnessBot, setupBot } from "./bot-harness.js";

const STAFF = -1004200;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
let worker: Awaited<ReturnType<typeof deliveryWorker>>;
beforeAll(async () => {
  w = world();
  worker = await deliveryWorker(w.db, botWorld().fake);
});

const deliver = () => drainAll(worker, w.db);

/** The last message the bot sent to a chat, with its id and buttons' callback data. */
function lastSent(chatId: number) {
  const call = botWorld()
    .fake.calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId && !c.failure)
    .at(-1);
  const markup = call?.params.reply_markup as { inline_keyboard: { callback_data?: string }[][] } | undefined;
  return {
    text: String(call?.params.text ?? ""),
    messageId: (call?.result as { message_id: number } | undefined)?.message_id ?? 0,
    buttons: (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? ""),
  };
}

async function register(tg: TgUser, role: "agent" | "requester") {
  await botWorld().send(updates.text(tg, "/help"));
  await w.db.update(users).set({ role, languageChosen: true }).where(eq(users.telegramId, tg.id));
}

const press = (tg: TgUser, sent: { messageId: number }, data: string) =>
  botWorld().send(updates.callback(tg, data, tg.id, sent.messageId));

describe("live chat in the bot", () => {
  const agent = tgUser(620_001, "en");
  const first = tgUser(620_002, "en");
  const second = tgUser(620_003, "en");
  const third = tgUser(620_004, "en");

  it("sets presence, offers a chat with Accept, relays both ways with typing, and ends with a rating", async () => {
    const { send, textsTo, fake } = botWorld();
    await register(agent, "agent");
    await w.db.update(users).set({ liveCapacity: 1 }).where(eq(users.telegramId, agent.id));
    await send(updates.text(agent, "/online"));
    expect(textsTo(agent.id).at(-1)).toContain("You are online");

    await register(first, "requester");
    await send(updates.text(first, "/start"));
    expect(botWorld().lastButtons(first.id)).toEqual(["live"]);
    await send(updates.callback(first, "live"));
    expect(textsTo(first.id).at(-1)).toContain("Looking for an operator");
    await deliver();
    const offer = lastSent(agent.id);
    expect(offer.text).toContain("Live chat request");
    expect(offer.buttons.map((b) => b.split(":").slice(0, 2).join(":"))).toEqual(["lv:acc", "lv:dec"]);

    await press(agent, offer, offer.buttons[0]);
    expect(textsTo(agent.id).at(-1)).toContain("You are talking with");
    await deliver();
    const connected = lastSent(first.id);
    expect(connected.text).toContain("You are connected with");

    await send(updates.text(first, "my printer is on fire"));
    const typing = fake.calls.filter(
      (c) => c.method === "sendChatAction" && Number(c.params.chat_id) === agent.id,
    );
    expect(typing.at(-1)?.params.action).toBe("typing");
    await deliver();
    expect(lastSent(agent.id).text).toContain("my printer is on fire");
    // No "added to T-…" receipts in a live chat: the words are the answer.
    expect(textsTo(first.id).some((t) => t.includes("my printer"))).toBe(false);

    await send(updates.text(agent, "unplug it, please"));
    await deliver();
    expect(lastSent(first.id).text).toContain("unplug it, please");

    // The requester ends it with the End button of the "connected" message.
    await press(first, connected, connected.buttons.find((b) => b.startsWith("lv:end")) ?? "");
    await deliver();
    const ended = lastSent(first.id);
    expect(ended.text).toContain("has ended");
    expect(ended.buttons.some((b) => b.startsWith("rate:"))).toBe(true);
    expect(lastSent(agent.id).text).toContain("ended the live chat");
  });

  it("queues several requesters with one edited position message each, lets one leave, and keeps order across a restart", async () => {
    const { send, fake } = botWorld();
    await register(second, "requester");
    await register(third, "requester");
    const busyWith = tgUser(620_005, "en");
    await register(busyWith, "requester");
    // The agent's one place is taken: the next two wait.
    await send(updates.text(busyWith, "/live"));
    await deliver();
    await press(agent, lastSent(agent.id), lastSent(agent.id).buttons[0]);
    await send(updates.text(second, "/live"));
    await send(updates.text(third, "/live"));
    await deliver();
    const secondPos = lastSent(second.id);
    const thirdPos = lastSent(third.id);
    expect(secondPos.text).toContain("number <b>1</b>");
    expect(thirdPos.text).toContain("number <b>2</b>");

    await press(second, secondPos, secondPos.buttons[0]);
    await deliver();
    const edit = fake.calls
      .filter((c) => c.method === "editMessageText" && Number(c.params.chat_id) === third.id)
      .at(-1);
    expect(edit?.params.message_id).toBe(thirdPos.messageId);
    expect(String(edit?.params.text)).toContain("number <b>1</b>");
    const [left] = await w.db
      .select()
      .from(liveChats)
      .where(eq(liveChats.requesterId, (await userOf(second)).id));
    expect(left.state).toBe("abandoned");

    // Restart: a new bot instance and outbox worker on the same database pick up where the first left off.
    const restarted = await harnessBot(w, fake, STAFF);
    const worker2 = await deliveryWorker(w.db, fake);
    const busyChat = (
      await w.db
        .select()
        .from(liveChats)
        .where(eq(liveChats.requesterId, (await userOf(busyWith)).id))
    )[0];
    await restarted.handleUpdate(updates.callback(agent, `lv:end:${b64(busyChat.id)}`) as never);
    await drainAll(worker2, w.db);
    const offer = lastSent(agent.id);
    expect(offer.text).toContain("Live chat request");
    const thirdChat = (
      await w.db
        .select()
        .from(liveChats)
        .where(eq(liveChats.requesterId, (await userOf(third)).id))
    )[0];
    expect(thirdChat.state).toBe("offered");
  });
});

const userOf = async (tg: TgUser) => (await w.db.select().from(users).where(eq(users.telegramId, tg.id)))[0];
const b64 = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex").toString("base64url");
