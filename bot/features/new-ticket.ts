import { randomUUID } from "node:crypto";
import { Composer } from "telegraf";
import type { Message } from "telegraf/types";
import {
  createTicket,
  DESCRIPTION_MAX,
  listCategories,
  maxFileBytes,
  PRIORITIES,
  TITLE_MAX,
  TITLE_MIN,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { fileOf, textOf } from "../media.js";
import { NEW_TICKET_STEPS, type NewTicketStep } from "../session.js";
import { decodeCallback, encodeCallback } from "../ui/callback-data.js";
import { escapeHtml } from "../ui/text.js";

const MAX_FILES = 10;
const MB = 1024 * 1024;
type Draft = NonNullable<BotContext["session"]["newTicket"]>;

/** A step's Skip/Done/Back (bound to that step) and Cancel (good at any step). */
const nav = (ctx: BotContext, ...extra: ("skip" | "done" | "back")[]) => {
  const s = ctx.session.newTicket?.step ?? "category";
  return [
    ...extra.map((f) => ({ text: ctx.t(`button.${f}`), callback_data: encodeCallback({ a: "nav", f, s }) })),
    { text: ctx.t("button.cancel"), callback_data: encodeCallback({ a: "flow", f: "cancel" }) },
  ];
};

/** Starts /new, optionally with a category chosen by a deep link (`new_<code>`). */
export async function startNewTicket(ctx: BotContext, categoryCode?: string): Promise<void> {
  const draft: Draft = { step: "category", key: `bot:${ctx.user.id}:${randomUUID()}`, files: [] };
  if (categoryCode) {
    const cat = (await listCategories({ ctx: ctx.svc })).find((c) => c.code === categoryCode);
    if (cat) Object.assign(draft, { categoryId: cat.id, step: "title" });
  }
  ctx.session.newTicket = draft;
  ctx.session.replyTo = undefined;
  await prompt(ctx);
}

/** Asks for the current step (again, after invalid input). */
async function prompt(ctx: BotContext): Promise<void> {
  const draft = ctx.session.newTicket;
  if (!draft) return;
  const t = ctx.t;
  switch (draft.step) {
    case "category": {
      // The active ones, in the admins' order (the same list the Mini App offers).
      const cats = await listCategories({ ctx: ctx.svc });
      if (cats.length === 0) {
        ctx.session.newTicket = undefined;
        await ctx.reply(t("new.no_categories"));
        return;
      }
      const buttons = cats.map((c) => ({
        text: `${c.emoji} ${c.name[ctx.lang] ?? c.name.fa}`,
        callback_data: encodeCallback({ a: "cat", c: c.id }),
      }));
      const rows = [];
      for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
      await ctx.reply(t("new.choose_category"), { reply_markup: { inline_keyboard: [...rows, nav(ctx)] } });
      return;
    }
    case "title":
      await ctx.reply(t("new.ask_title"), { reply_markup: { inline_keyboard: [nav(ctx, "back")] } });
      return;
    case "description":
      await ctx.reply(t("new.ask_description"), {
        reply_markup: { inline_keyboard: [nav(ctx, "skip", "back")] },
      });
      return;
    case "attachments": {
      const mb = Math.round((await maxFileBytes(ctx.svc.db, ctx.svc)) / MB);
      const next = draft.files.length > 0 ? "done" : "skip";
      await ctx.reply(t("new.ask_attachments", { mb }), {
        reply_markup: { inline_keyboard: [nav(ctx, next, "back")] },
      });
      return;
    }
    case "priority": {
      const row = PRIORITIES.map((p) => ({
        text: t(`common:priority.${p}`),
        callback_data: encodeCallback({ a: "pri", p }),
      }));
      await ctx.reply(t("new.ask_priority"), { reply_markup: { inline_keyboard: [row, nav(ctx, "back")] } });
      return;
    }
    case "confirm": {
      const cat = (await listCategories({ ctx: ctx.svc })).find((c) => c.id === draft.categoryId);
      const text = t("new.summary", {
        title: escapeHtml(draft.title ?? ""),
        category: escapeHtml(`${cat?.emoji ?? ""} ${cat?.name[ctx.lang] ?? cat?.name.fa ?? ""}`),
        priority: t(`common:priority.${draft.priority ?? "normal"}`),
        description: escapeHtml(draft.description || t("new.no_description")),
        count: draft.files.length,
      });
      const confirm = [
        { text: t("button.confirm"), callback_data: encodeCallback({ a: "flow", f: "confirm" }) },
        { text: t("button.edit"), callback_data: encodeCallback({ a: "flow", f: "edit" }) },
      ];
      await ctx.reply(text, {
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: [confirm, nav(ctx, "back")] },
      });
    }
  }
}

function go(ctx: BotContext, step: NewTicketStep) {
  if (ctx.session.newTicket) ctx.session.newTicket.step = step;
}
const previous = (step: NewTicketStep) => NEW_TICKET_STEPS[Math.max(0, NEW_TICKET_STEPS.indexOf(step) - 1)];

/** A message while /new is running: the answer to the current step. */
export async function newTicketOnMessage(ctx: BotContext, message: Message): Promise<void> {
  const draft = ctx.session.newTicket as Draft;
  const text = textOf(message);
  const file = fileOf(message);
  if (draft.step === "attachments" && file) {
    const limit = await maxFileBytes(ctx.svc.db, ctx.svc);
    if (file.sizeBytes > limit) {
      await ctx.reply(
        ctx.t("new.file_too_big", { size: (file.sizeBytes / MB).toFixed(1), mb: Math.round(limit / MB) }),
      );
      return;
    }
    if (draft.files.length >= MAX_FILES) {
      await ctx.reply(ctx.t("new.too_many_files", { max: MAX_FILES }));
      return;
    }
    draft.files.push(file);
    // An album arrives as several messages: answer its first one only.
    const group = "media_group_id" in message ? message.media_group_id : undefined;
    const sameAlbum = group !== undefined && draft.album === group;
    draft.album = group;
    if (!sameAlbum) {
      const buttons = [nav(ctx, "done", "back")];
      await ctx.reply(ctx.t("new.attachment_added", { count: draft.files.length }), {
        reply_markup: { inline_keyboard: buttons },
      });
    }
    return;
  }
  if (text === null || file) {
    await ctx.reply(ctx.t(file ? "new.text_expected" : "unsupported"));
    return prompt(ctx);
  }
  const value = text.trim();
  if (draft.step === "title") {
    if (value.length < TITLE_MIN || value.length > TITLE_MAX) {
      await ctx.reply(ctx.t("new.title_invalid", { length: value.length }));
      return;
    }
    draft.title = value;
    go(ctx, "description");
  } else if (draft.step === "description") {
    if (value.length > DESCRIPTION_MAX) {
      await ctx.reply(ctx.t("new.description_invalid", { length: value.length }));
      return;
    }
    draft.description = value;
    go(ctx, "attachments");
  } else {
    await ctx.reply(ctx.t("new.text_expected"));
  }
  return prompt(ctx);
}

/** Buttons of the /new conversation. */
export const newTicketFeature = new Composer<BotContext>();

newTicketFeature.command("new", (ctx) => startNewTicket(ctx));

newTicketFeature.on("callback_query", async (ctx, next) => {
  const decoded = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
  if (!decoded || !["cat", "pri", "flow", "nav"].includes(decoded.a)) return next();
  const draft = ctx.session.newTicket;
  // A Skip or Back from an earlier step's message would act on the step shown now.
  const staleStep = decoded.a === "nav" && decoded.s !== draft?.step;
  if (staleStep || (!draft && !(decoded.a === "flow" && decoded.f === "new"))) {
    await ctx.answerCbQuery(ctx.t("stale_button"));
    return;
  }
  const action = decoded.a === "nav" ? ({ a: "flow", f: decoded.f } as const) : decoded;
  await ctx.answerCbQuery();
  if (action.a === "cat" && draft?.step === "category") {
    draft.categoryId = action.c;
    go(ctx, "title");
  } else if (action.a === "pri" && draft?.step === "priority") {
    draft.priority = action.p;
    go(ctx, "confirm");
  } else if (action.a === "flow") {
    if (action.f === "new") return startNewTicket(ctx);
    if (!draft) return;
    if (action.f === "cancel") {
      ctx.session.newTicket = undefined;
      await ctx.reply(ctx.t("cancelled"));
      return;
    }
    if (action.f === "back") go(ctx, previous(draft.step));
    if (action.f === "edit") go(ctx, "category");
    if (action.f === "skip" && draft.step === "description") go(ctx, "attachments");
    else if ((action.f === "skip" || action.f === "done") && draft.step === "attachments")
      go(ctx, "priority");
    if (action.f === "confirm" && draft.step === "confirm") return confirm(ctx, draft);
  }
  return prompt(ctx);
});

async function confirm(ctx: BotContext, draft: Draft): Promise<void> {
  const ticket = await createTicket({
    ctx: ctx.svc,
    input: {
      title: draft.title,
      description: draft.description ?? "",
      categoryId: draft.categoryId,
      priority: draft.priority ?? "normal",
      attachments: draft.files,
      idempotencyKey: draft.key,
    },
  });
  ctx.session.newTicket = undefined;
  await ctx.reply(ctx.t("new.created", { number: ticket.number }));
}
