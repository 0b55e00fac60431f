import { listCategories, maxFileBytes, PRIORITIES } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { NEW_TICKET_STEPS, type NewTicketStep } from "../session.js";
import { encodeCallback } from "../ui/callback-data.js";
import { escapeHtml } from "../ui/text.js";
import type { NewTicketDraft } from "./new-ticket-draft.js";

export const MB = 1024 * 1024;

/** The wizard's step (its cursor, kept in the session), as a name. */
export const currentStep = (ctx: BotContext): NewTicketStep =>
  NEW_TICKET_STEPS[ctx.scene.session.cursor ?? 0] ?? "category";
export const goToStep = (ctx: BotContext, step: NewTicketStep) => {
  ctx.scene.session.cursor = NEW_TICKET_STEPS.indexOf(step);
};
export const draftOf = (ctx: BotContext) => ctx.scene.state as NewTicketDraft;

/** A step's Skip/Done/Back (bound to that step: stale on another one) and Cancel (good at any step). */
export const navRow = (ctx: BotContext, ...extra: ("skip" | "done" | "back")[]) => {
  const s = currentStep(ctx);
  return [
    ...extra.map((f) => ({ text: ctx.t(`button.${f}`), callback_data: encodeCallback({ a: "nav", f, s }) })),
    { text: ctx.t("button.cancel"), callback_data: encodeCallback({ a: "flow", f: "cancel" }) },
  ];
};

const categoryName = (c: { emoji: string; name: Record<string, string> }, lang: string) =>
  `${c.emoji} ${c.name[lang] ?? c.name.fa}`;

/** Asks for the current step (again, after invalid input). */
export async function promptStep(ctx: BotContext): Promise<void> {
  const draft = draftOf(ctx);
  const t = ctx.t;
  const step = currentStep(ctx);
  if (step === "category") {
    // The active ones, in the admins' order (the same list the Mini App offers).
    const cats = await listCategories({ ctx: ctx.svc });
    if (cats.length === 0) {
      await ctx.scene.leave();
      await ctx.reply(t("new.no_categories"));
      return;
    }
    const buttons = cats.map((c) => ({
      text: categoryName(c, ctx.lang),
      callback_data: encodeCallback({ a: "cat", c: c.id }),
    }));
    const rows = [];
    for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
    await ctx.reply(t("new.choose_category"), { reply_markup: { inline_keyboard: [...rows, navRow(ctx)] } });
  } else if (step === "title") {
    await ctx.reply(t("new.ask_title"), { reply_markup: { inline_keyboard: [navRow(ctx, "back")] } });
  } else if (step === "description") {
    await ctx.reply(t("new.ask_description"), {
      reply_markup: { inline_keyboard: [navRow(ctx, "skip", "back")] },
    });
  } else if (step === "attachments") {
    const mb = Math.round((await maxFileBytes(ctx.svc.db, ctx.svc)) / MB);
    const next = draft.files.length > 0 ? "done" : "skip";
    await ctx.reply(t("new.ask_attachments", { mb }), {
      reply_markup: { inline_keyboard: [navRow(ctx, next, "back")] },
    });
  } else if (step === "priority") {
    const row = PRIORITIES.map((p) => ({
      text: t(`common:priority.${p}`),
      callback_data: encodeCallback({ a: "pri", p }),
    }));
    await ctx.reply(t("new.ask_priority"), { reply_markup: { inline_keyboard: [row, navRow(ctx, "back")] } });
  } else {
    await promptConfirm(ctx, draft);
  }
}

async function promptConfirm(ctx: BotContext, draft: NewTicketDraft) {
  const t = ctx.t;
  const cat = (await listCategories({ ctx: ctx.svc })).find((c) => c.id === draft.categoryId);
  const text = t("new.summary", {
    title: escapeHtml(draft.title ?? ""),
    category: escapeHtml(cat ? categoryName(cat, ctx.lang) : " "),
    priority: t(`common:priority.${draft.priority ?? "normal"}`),
    // A preview: the whole description (up to 4,000 characters) and the summary around it
    // would pass Telegram's 4,096; the ticket keeps every word.
    description: escapeHtml(preview(draft.description) || t("new.no_description")),
    count: draft.files.length,
  });
  const confirm = [
    { text: t("button.confirm"), callback_data: encodeCallback({ a: "flow", f: "confirm" }) },
    { text: t("button.edit"), callback_data: encodeCallback({ a: "flow", f: "edit" }) },
  ];
  await ctx.reply(text, {
    parse_mode: "HTML",
    reply_markup: { inline_keyboard: [confirm, navRow(ctx, "back")] },
  });
}

const PREVIEW_MAX = 3000;
const preview = (text: string | undefined) =>
  text && text.length > PREVIEW_MAX ? `${text.slice(0, PREVIEW_MAX)}…` : (text ?? "");
