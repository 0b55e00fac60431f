import { afterEach, describe, expect, it } from "vitest";
import { runSetup, type SetupIO, upsertEnv } from "../../bot/setup.js";
import { createI18n } from "../../server/i18n.js";
import { BOT_USER } from "../../server/sandbox/bot-api/results.js";
import { createFakeTelegram, type FakeTelegram } from "../../server/sandbox/bot-api/server.js";

const TOKEN = "123456:SETUP-token-for-the-setup-tests";
const GROUP = -1_001_234_567_890;
let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Answers the questions in order; runs `onAsk` hooks (the user fixing something in Telegram). */
function scripted(answers: string[], onAsk: Array<() => void> = []) {
  const lines: string[] = [];
  const io: SetupIO = {
    ask: async (q) => {
      lines.push(q);
      onAsk.shift()?.();
      return answers.shift() ?? "";
    },
    say: (line) => lines.push(line),
  };
  return { io, lines };
}

const groupMessage = (updateId: number) => ({
  update_id: updateId,
  message: {
    message_id: 1,
    date: Math.floor(Date.now() / 1000),
    chat: { id: GROUP, type: "supergroup", title: "School staff", is_forum: true },
    from: { id: 42, is_bot: false, first_name: "Admin" },
    text: "hello bot",
  },
});

describe("npm run setup (bot/setup.ts) against the fake Bot API", () => {
  it("checks the token, finds the staff group from its first message, checks the rights", async () => {
    fake = await createFakeTelegram({ token: TOKEN });
    fake.setChat(GROUP, { id: GROUP, type: "supergroup", title: "School staff", is_forum: true });
    fake.setChatMember(GROUP, BOT_USER.id, {
      status: "administrator",
      can_manage_topics: true,
      user: BOT_USER,
    });
    fake.pushUpdate({
      update_id: 5,
      message: { message_id: 1, date: 1, chat: { id: 7, type: "private" }, text: "hi" },
    });
    fake.pushUpdate(groupMessage(6));
    const t = (await createI18n("en")).getFixedT("en");
    const { io, lines } = scripted(["not a token", TOKEN]);
    const result = await runSetup({ io, t, apiRoot: fake.url, waitForGroupMs: 5_000, pollTimeoutS: 1 });
    expect(result).toEqual({
      token: TOKEN,
      botUsername: BOT_USER.username,
      staffChatId: GROUP,
      staffChatTitle: "School staff",
    });
    const text = lines.join("\n");
    expect(text).toContain("That does not look like a bot token");
    expect(text).toContain(`Bot token works: @${BOT_USER.username}`);
    expect(text).toContain("Found the group “School staff”");
    expect(text).toContain("forum, bot is admin and manages topics");
    // The group's update is confirmed, so the product does not take it again.
    expect(Number(fake.callsOf("getUpdates").at(-1)?.params.offset)).toBe(7);
  });

  it("says in the user's language that Telegram refused the token, and gives up without writing", async () => {
    fake = await createFakeTelegram({ token: TOKEN });
    const t = (await createI18n("en")).getFixedT("fa");
    const { io, lines } = scripted(["123456:WRONG-token-that-telegram-refuses", "999:short", ""]);
    expect(await runSetup({ io, t, apiRoot: fake.url, attempts: 3 })).toBeNull();
    const text = lines.join("\n");
    expect(text).toContain("تلگرام توکن ربات را نپذیرفت");
    expect(text).toContain("توکن معتبری داده نشد");
  });

  it("names a bot that is not an admin and privacy mode on, and checks again after the user fixed it", async () => {
    fake = await createFakeTelegram({ token: TOKEN });
    fake.setBotInfo({ can_read_all_group_messages: false });
    fake.setChat(GROUP, { id: GROUP, type: "supergroup", title: "School staff", is_forum: true });
    fake.setChatMember(GROUP, BOT_USER.id, { status: "member", user: BOT_USER });
    fake.pushUpdate(groupMessage(1));
    const t = (await createI18n("en")).getFixedT("ru");
    const makeAdmin = () =>
      fake?.setChatMember(GROUP, BOT_USER.id, {
        status: "administrator",
        can_manage_topics: true,
        user: BOT_USER,
      });
    const { io, lines } = scripted([TOKEN, ""], [() => undefined, makeAdmin]);
    const result = await runSetup({ io, t, apiRoot: fake.url, waitForGroupMs: 5_000, pollTimeoutS: 1 });
    expect(result?.staffChatId).toBe(GROUP);
    const text = lines.join("\n");
    const ru = (await createI18n("en")).getFixedT("ru");
    expect(text).toContain(ru("doctor:privacy_on"));
    expect(text).toContain(ru("doctor:chat_not_admin", { title: "School staff" }));
    expect(text).toContain(ru("doctor:chat_ok_forum", { title: "School staff" }));
  });

  it("leaves STAFF_CHAT_ID unset when no group message arrives in time", async () => {
    fake = await createFakeTelegram({ token: TOKEN });
    const t = (await createI18n("en")).getFixedT("en");
    const { io, lines } = scripted([TOKEN]);
    const result = await runSetup({ io, t, apiRoot: fake.url, waitForGroupMs: 300, pollTimeoutS: 0 });
    expect(result?.staffChatId).toBeNull();
    expect(lines.join("\n")).toContain("No message from a group arrived");
  });
});

describe("writing .env", () => {
  it("replaces set variables, appends new ones and keeps the rest", () => {
    const before = "# mine\nBOT_TOKEN=\nPORT=4000\n";
    expect(upsertEnv(before, { BOT_TOKEN: "1:x", STAFF_CHAT_ID: "-100" })).toBe(
      "# mine\nBOT_TOKEN=1:x\nPORT=4000\nSTAFF_CHAT_ID=-100\n",
    );
    expect(upsertEnv("", { BOT_TOKEN: "1:x" })).toBe("BOT_TOKEN=1:x\n");
  });
});
