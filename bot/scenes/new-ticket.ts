import { Scenes } from "telegraf";
import type { Message } from "telegraf/types";
import {
  attachmentRefusal,
  createTicket,
  DESCRIPTION_MAX,
  maxFileBytes,
  TITLE_MAX,
  TITLE_MIN,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { fileOf, refusedKindOf, textOf } from "../media.js";
import { NEW_TICKET_STEPS } from "../session.js";
import { buttonOf } from "../ui/callback-data.js";
import { SCENES } from "./ids.js";
import { newTicketDraftSchema } from "./new-ticket-draft.js";
import { currentStep, draftOf, goToStep, MB, navRow, promptStep } from "./new-ticket-prompts.js";
import { wizardStep } from "./wizard-step.js";

const MAX_FILES = 10;

/** A message that answers no question of this step: say what is expected, ask again. */
async function notTheAnswer(ctx: BotContext, message: Message) {
  const refused = refusedKindOf(message);
  await ctx.reply(
    refused ? ctx.t("unsupported", { what: ctx.t(`kind.${refused}`) }) : ctx.t("new.text_expected"),
  );
  await promptStep(ctx);
}

/** The words of a text-only answer, or null after telling the person what is expected. */
async function textAnswer(ctx: BotContext, message: Message): Promise<string | null> {
  const text = textOf(message);
  if (text === null || fileOf(message)) {
    await notTheAnswer(ctx, message);
    return null;
  }
  return text.trim();
}

const category = wizardStep({
  button: (action) =>
    action.a === "cat"
      ? async (ctx) => {
          draftOf(ctx).categoryId = action.c;
          goToStep(ctx, "title");
          await promptStep(ctx);
        }
      : undefined,
  message: notTheAnswer,
});

const title = wizardStep({
  async message(ctx, message) {
    const value = await textAnswer(ctx, message);
    if (value === null) return;
    if (value.length < TITLE_MIN || value.length > TITLE_MAX) {
      await ctx.reply(ctx.t("new.title_invalid", { length: value.length }));
      return;
    }
    draftOf(ctx).title = value;
    goToStep(ctx, "description");
    await promptStep(ctx);
  },
});

const description = wizardStep({
  button: (action) =>
    action.a === "flow" && action.f === "skip"
      ? async (ctx) => {
          goToStep(ctx, "attachments");
          await promptStep(ctx);
        }
      : undefined,
  async message(ctx, message) {
    const value = await textAnswer(ctx, message);
    if (value === null) return;
    if (value.length > DESCRIPTION_MAX) {
      await ctx.reply(ctx.t("new.description_invalid", { length: value.length }));
      return;
    }
    draftOf(ctx).description = value;
    goToStep(ctx, "attachments");
    await promptStep(ctx);
  },
});

const attachments = wizardStep({
  button: (action) =>
    action.a === "flow" && (action.f === "skip" || action.f === "done")
      ? async (ctx) => {
          goToStep(ctx, "priority");
          await promptStep(ctx);
        }
      : undefined,
  async message(ctx, message) {
    const file = fileOf(message);
    if (!file) return notTheAnswer(ctx, message);
    const draft = draftOf(ctx);
    // The domain's own check, asked now, so a refused file never becomes part of the draft.
    const limit = await maxFileBytes(ctx.svc.db, ctx.svc);
    const refusal = attachmentRefusal(file, limit);
    if (refusal?.reason === "file_size") {
      const size = (file.sizeBytes / MB).toFixed(1);
      await ctx.reply(ctx.t("new.file_too_big", { size, mb: Math.round(limit / MB) }));
      return;
    }
    if (refusal?.reason === "file_type") {
      await ctx.reply(ctx.t("new.file_refused", { name: file.fileName, type: file.mimeType }));
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
      await ctx.reply(ctx.t("new.attachment_added", { count: draft.files.length }), {
        reply_markup: { inline_keyboard: [navRow(ctx, "done", "back")] },
      });
    }
  },
});

const priority = wizardStep({
  button: (action) =>
    action.a === "pri"
      ? async (ctx) => {
          draftOf(ctx).priority = action.p;
          goToStep(ctx, "confirm");
          await promptStep(ctx);
        }
      : undefined,
  message: notTheAnswer,
});

/** The one domain call of the conversation, idempotent by the draft's key. */
const confirm = wizardStep({
  button: (action) => (action.a === "flow" && action.f === "confirm" ? createFromDraft : undefined),
  message: notTheAnswer,
});

async function createFromDraft(ctx: BotContext) {
  const draft = draftOf(ctx);
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
  await ctx.scene.leave();
  await ctx.reply(ctx.t("new.created", { number: ticket.number }));
}

/**
 * /new as a Telegraf wizard: one step per question, in NEW_TICKET_STEPS order
 * (the cursor is the step). Back, Edit and Cancel work at every step and are
 * handled before the step; Skip and Done belong to their step. Entered with a
 * fresh draft (new-ticket-draft.ts); a deep link's category starts at the title.
 */
export const newTicketScene = new Scenes.WizardScene<BotContext>(
  SCENES.newTicket,
  category,
  title,
  description,
  attachments,
  priority,
  confirm,
);

newTicketScene.enter(async (ctx) => {
  ctx.scene.state = newTicketDraftSchema.parse(ctx.scene.state);
  goToStep(ctx, draftOf(ctx).categoryId ? "title" : "category");
  await promptStep(ctx);
});

/** Back, Edit and Cancel: the same at every step. A Back bound to another step is stale. */
newTicketScene.use(async (ctx, next) => {
  const action = buttonOf(ctx);
  if (action?.a !== "flow" && action?.a !== "nav") return next();
  const step = currentStep(ctx);
  if (action.a === "nav" && action.s !== step) {
    await ctx.answerCbQuery(ctx.t("stale_button"));
    return;
  }
  if (action.f === "cancel") {
    await ctx.answerCbQuery();
    await ctx.scene.leave();
    await ctx.reply(ctx.t("cancelled"));
    return;
  }
  if (action.f !== "back" && action.f !== "edit") return next();
  await ctx.answerCbQuery();
  const back = NEW_TICKET_STEPS[Math.max(0, NEW_TICKET_STEPS.indexOf(step) - 1)];
  goToStep(ctx, action.f === "edit" ? "category" : back);
  await promptStep(ctx);
});
