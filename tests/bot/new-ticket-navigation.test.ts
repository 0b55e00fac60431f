import { eq } from "drizzle-orm";
import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { tickets, users } from "../../drizzle/schema/index.js";
import { createI18n } from "../../server/i18n.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupBot } from "./bot-harness.js";

/**
 * Back, Cancel and Edit at every step of /new, in each language: the prompts
 * expected are the locale files' own, so an untranslated step fails here.
 */
const world = setupTestWorld();
const botWorld = setupBot(world);
let w: World;
let i18n: Awaited<ReturnType<typeof createI18n>>;
beforeAll(async () => {
  w = world();
  i18n = await createI18n("fa");
});
let nextId = 730_000;

const STEPS = ["category", "title", "description", "attachments", "priority", "confirm"] as const;
type Step = (typeof STEPS)[number];

describe.each(["fa", "en", "ru"] as const)("/new in %s", (lang) => {
  const t = (): TFunction => i18n.getFixedT(lang, "bot");
  /** The first line of each step's prompt, as the locale says it. */
  const promptOf = (step: Step) =>
    ({
      category: t()("new.choose_category"),
      title: t()("new.ask_title"),
      description: t()("new.ask_description"),
      attachments: t()("new.ask_attachments", { mb: 10 }),
      priority: t()("new.ask_priority"),
      confirm: t()("new.summary", { title: "", category: "", priority: "", description: "", count: 0 }),
    })[step].split("\n")[0];

  async function newUser(): Promise<TgUser> {
    const tg = tgUser(nextId++, lang);
    await botWorld().send(updates.text(tg, "/help"));
    return tg;
  }
  /** Answers the current step so the next one comes. */
  async function answer(tg: TgUser, step: Step, title = "Projector flickers") {
    const { send, lastButtons } = botWorld();
    if (step === "category") {
      const cat = lastButtons(tg.id).find((b) => b.startsWith("cat:"));
      await send(updates.callback(tg, cat as string));
    } else if (step === "title") await send(updates.text(tg, title));
    else if (step === "description") await send(updates.text(tg, "It flickers every few seconds"));
    else if (step === "attachments") await send(updates.callback(tg, "flow:skip"));
    else if (step === "priority") await send(updates.callback(tg, "pri:high"));
  }
  const lastText = (tg: TgUser) => botWorld().textsTo(tg.id).at(-1) ?? "";

  it("goes back from every step to the one before it", async () => {
    const { send } = botWorld();
    const tg = await newUser();
    await send(updates.text(tg, "/new"));
    for (let i = 1; i < STEPS.length; i++) {
      await answer(tg, STEPS[i - 1]);
      expect(lastText(tg)).toContain(promptOf(STEPS[i]));
      await send(updates.callback(tg, "flow:back"));
      expect(lastText(tg)).toContain(promptOf(STEPS[i - 1]));
      await answer(tg, STEPS[i - 1]);
    }
  });

  it("cancels at every step, in the user's language, and stores nothing", async () => {
    const { send } = botWorld();
    const tg = await newUser();
    for (let i = 0; i < STEPS.length; i++) {
      await send(updates.text(tg, "/new"));
      for (let j = 0; j < i; j++) await answer(tg, STEPS[j]);
      expect(lastText(tg)).toContain(promptOf(STEPS[i]));
      // The step's own Cancel button, and /cancel typed instead, both end it.
      await send(i % 2 === 0 ? updates.callback(tg, "flow:cancel") : updates.text(tg, "/cancel"));
      expect(lastText(tg)).toBe(t()("cancelled"));
    }
    const [user] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
    expect(await w.db.select().from(tickets).where(eq(tickets.requesterId, user.id))).toHaveLength(0);
  });

  it("edits from the summary: back to step 1, and the ticket opens with the new answers", async () => {
    const { send } = botWorld();
    const tg = await newUser();
    await send(updates.text(tg, "/new"));
    for (const step of STEPS.slice(0, -1)) await answer(tg, step);
    expect(lastText(tg)).toContain("Projector flickers");
    await send(updates.callback(tg, "flow:edit"));
    expect(lastText(tg)).toContain(promptOf("category"));
    for (const step of STEPS.slice(0, -1)) await answer(tg, step, "Projector shows no picture");
    expect(lastText(tg)).toContain("Projector shows no picture");
    await send(updates.callback(tg, "flow:confirm"));
    const [user] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
    const mine = await w.db.select().from(tickets).where(eq(tickets.requesterId, user.id));
    expect(mine.map((k) => [k.title, k.priority])).toEqual([["Projector shows no picture", "high"]]);
  });
});
