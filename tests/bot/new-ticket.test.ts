import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../bot/create-bot.js";
import { attachments, categories, tickets, users } from "../../drizzle/schema/index.js";
import { createContextFactory } from "../../server/domain/build-context.js";
import { createI18n } from "../../server/i18n.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { silentLogger, TEST_TOKEN } from "../jobs/outbox-harness.js";
import { setupBot } from "./bot-harness.js";

const world = setupTestWorld();
const botWorld = setupBot(world);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 300_000;
const findButton = (buttons: string[], prefix: string) => {
  const found = buttons.find((b) => b.startsWith(prefix));
  if (!found) throw new Error(`no ${prefix} button in ${buttons.join(", ")}`);
  return found;
};

describe.each([
  ["fa", "مرحلهٔ ۲ از ۵", "ثبت شد"],
  ["en", "Step 2/5", "is open"],
  ["ru", "Шаг 2/5", "создана"],
] as const)("/new in %s", (lang, step2, createdWord) => {
  it("walks category → title → description → files → priority → confirm and opens one ticket", async () => {
    const { send, textsTo, lastButtons } = botWorld();
    const user = tgUser(nextId++, lang);
    await send(updates.text(user, "/new"));
    await send(updates.callback(user, findButton(lastButtons(user.id), "cat:")));
    expect(textsTo(user.id).at(-1)).toContain(step2);
    await send(updates.text(user, "Projector in room 12"));
    await send(updates.text(user, "It shows no picture since this morning."));
    await send(updates.photo(user, { mediaGroupId: "album-1" }));
    await send(updates.photo(user, { mediaGroupId: "album-1" }));
    await send(updates.document(user));
    // One answer for the album, one for the document.
    expect(textsTo(user.id).filter((t) => t.includes("📎"))).toHaveLength(2);
    await send(updates.callback(user, "flow:done"));
    await send(updates.callback(user, "pri:high"));
    expect(textsTo(user.id).at(-1)).toContain("Projector in room 12");
    const confirm = updates.callback(user, "flow:confirm");
    await send(confirm);
    await send({ ...updates.callback(user, "flow:confirm"), update_id: confirm.update_id + 1000 });

    const [me] = await w.db.select().from(users).where(eq(users.telegramId, user.id));
    const mine = await w.db.select().from(tickets).where(eq(tickets.requesterId, me.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ title: "Projector in room 12", priority: "high" });
    expect(await w.db.select().from(attachments).where(eq(attachments.ticketId, mine[0].id))).toHaveLength(3);
    expect(textsTo(user.id).some((t) => t.includes(createdWord) && t.includes(mine[0].number))).toBe(true);
  });
});

describe("/new, the unhappy paths", () => {
  it("tells the person in the chat when the final confirm fails (the button's pop-up is already gone)", async () => {
    const { send, textsTo, lastButtons, fake } = botWorld();
    const user = tgUser(nextId++, "en");
    await send(updates.text(user, "/new"));
    const pick = findButton(lastButtons(user.id), "cat:");
    await send(updates.callback(user, pick));
    await send(updates.text(user, "Broken chair"));
    await send(updates.callback(user, "flow:skip"));
    await send(updates.callback(user, "flow:skip"));
    await send(updates.callback(user, "pri:low"));
    // Meanwhile an admin closes the categories.
    await w.db.update(categories).set({ isActive: false });
    try {
      await send(updates.callback(user, "flow:confirm"));
    } finally {
      await w.db.update(categories).set({ isActive: true });
    }
    expect(textsTo(user.id).at(-1)).toBe("Some of the input is not valid. Please check it and try again.");
    // The pop-up answer Telegram refuses, since the button was answered already.
    const refused = fake.calls.filter((c) => c.method === "answerCallbackQuery" && c.failure);
    expect(refused.length).toBeGreaterThan(0);
    const [me] = await w.db.select().from(users).where(eq(users.telegramId, user.id));
    expect(await w.db.select().from(tickets).where(eq(tickets.requesterId, me.id))).toHaveLength(0);
  });

  it("explains bad input and asks the same step again; nothing is stored", async () => {
    const { send, textsTo, lastButtons } = botWorld();
    const user = tgUser(nextId++, "en");
    await send(updates.text(user, "/new"));
    await send(updates.callback(user, findButton(lastButtons(user.id), "cat:")));
    await send(updates.text(user, "ab"));
    expect(textsTo(user.id).at(-1)).toContain("3 to 120");
    await send(updates.text(user, "x".repeat(10_000)));
    expect(textsTo(user.id).at(-1)).toContain("10000");
    await send(updates.sticker(user));
    expect(textsTo(user.id).at(-2)).toContain("Please send text for this step");
    expect(textsTo(user.id).at(-1)).toContain("Step 2/5");
    await send(updates.text(user, "Printer"));
    await send(updates.text(user, "y".repeat(4001)));
    expect(textsTo(user.id).at(-1)).toContain("4000");
    await send(updates.callback(user, "flow:skip"));
    await send(updates.document(user, { size: 11 * 1024 * 1024 }));
    expect(textsTo(user.id).at(-1)).toContain("limit is 10 MB");
    const [me] = await w.db.select().from(users).where(eq(users.telegramId, user.id));
    expect(await w.db.select().from(tickets).where(eq(tickets.requesterId, me.id))).toHaveLength(0);
  });

  it("goes back and cancels at every step", async () => {
    const { send, textsTo, lastButtons } = botWorld();
    const user = tgUser(nextId++, "en");
    await send(updates.text(user, "/new"));
    expect(lastButtons(user.id)).toContain("flow:cancel");
    await send(updates.callback(user, findButton(lastButtons(user.id), "cat:")));
    await send(updates.callback(user, "flow:back"));
    expect(textsTo(user.id).at(-1)).toContain("Step 1/5");
    await send(updates.callback(user, findButton(lastButtons(user.id), "cat:")));
    await send(updates.text(user, "Keyboard broken"));
    for (const step of ["Step 3/5", "Step 4/5", "Step 5/5"]) {
      expect(textsTo(user.id).at(-1)).toContain(step);
      expect(lastButtons(user.id)).toContain("flow:cancel");
      expect(lastButtons(user.id)).toContain(
        `nav:back:${step === "Step 3/5" ? "description" : step === "Step 4/5" ? "attachments" : "priority"}`,
      );
      if (step === "Step 5/5") break;
      await send(updates.callback(user, "flow:skip"));
    }
    await send(updates.callback(user, "flow:back"));
    expect(textsTo(user.id).at(-1)).toContain("Step 4/5");
    await send(updates.callback(user, "flow:cancel"));
    expect(textsTo(user.id).at(-1)).toContain("Cancelled");
    // The old keyboard is stale now.
    await send(updates.callback(user, "flow:skip"));
    const answers = botWorld().fake.callsOf("answerCallbackQuery");
    expect(String(answers.at(-1)?.params.text)).toContain("no longer valid");
  });

  it("refuses a Skip pressed again on an earlier step's message, instead of skipping the step shown now", async () => {
    const { send, textsTo, lastButtons, fake } = botWorld();
    const user = tgUser(nextId++, "en");
    await send(updates.text(user, "/new"));
    await send(updates.callback(user, findButton(lastButtons(user.id), "cat:")));
    await send(updates.text(user, "Scanner offline"));
    const skipDescription = findButton(lastButtons(user.id), "nav:skip:");
    await send(updates.callback(user, skipDescription));
    expect(textsTo(user.id).at(-1)).toContain("Step 4/5");
    await send(updates.callback(user, skipDescription));
    expect(String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toContain("no longer valid");
    expect(textsTo(user.id).at(-1)).toContain("Step 4/5");
  });

  it("survives a restart in the middle: a new bot instance continues at the same step", async () => {
    const { send, lastButtons, fake, textsTo } = botWorld();
    const user = tgUser(nextId++, "en");
    await send(updates.text(user, "/new"));
    await send(updates.callback(user, findButton(lastButtons(user.id), "cat:")));
    await send(updates.text(user, "Restart-proof title"));

    const fresh = createBot({
      token: TEST_TOKEN,
      apiRoot: fake.url,
      db: w.db,
      i18n: await createI18n("fa"),
      logger: silentLogger,
      contexts: createContextFactory({
        db: w.db,
        settings: { timeZone: "Asia/Tehran", staffChatId: null, maxFileBytes: 10 << 20 },
      }),
      defaultLanguage: "fa",
    });
    await fresh.handleUpdate(updates.callback(user, "flow:skip") as never);
    expect(textsTo(user.id).at(-1)).toContain("Step 4/5");
    await fresh.handleUpdate(updates.callback(user, "flow:skip") as never);
    await fresh.handleUpdate(updates.callback(user, "pri:low") as never);
    await fresh.handleUpdate(updates.callback(user, "flow:confirm") as never);
    const [me] = await w.db.select().from(users).where(eq(users.telegramId, user.id));
    const [made] = await w.db.select().from(tickets).where(eq(tickets.requesterId, me.id));
    expect(made.title).toBe("Restart-proof title");
  });

  it("starts in a category from a new_<code> deep link", async () => {
    const { send, textsTo } = botWorld();
    const user = tgUser(nextId++, "en");
    await send(updates.text(user, "/start new_software"));
    expect(textsTo(user.id).at(-1)).toContain("Step 2/5");
  });
});
