import type { Logger } from "pino";
import type { MiddlewareFn } from "telegraf";
import { z } from "zod";
import type { BotContext } from "../context.js";

/**
 * Drops an update Telegram would never send: one whose fields the handlers read
 * have the wrong type (a text that is not a string, a chat id that is not an
 * integer, a message id past PostgreSQL's integer). Telegram's own updates always
 * pass; a forged webhook call or a broken proxy no longer reaches the handlers as
 * a TypeError, a failed query and an apology. Fields are checked only when present,
 * and unknown fields and kinds pass (Bot API additions must not be refused).
 */
const int32 = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);
const id = z.number().int().refine(Number.isSafeInteger);
const user = z.looseObject({
  id: id,
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
const chat = z.looseObject({ id: id, type: z.string(), title: z.string().optional() });
const entities = z.array(z.looseObject({ type: z.string(), offset: int32, length: int32 })).optional();
const file = z.looseObject({
  file_id: z.string(),
  file_unique_id: z.string().optional(),
  file_size: z.number().optional(),
});
const reply = z.looseObject({ message_id: int32, chat: chat.optional(), text: z.string().optional() });
const message = z.looseObject({
  message_id: int32,
  date: z.number().optional(),
  chat: chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities,
  caption_entities: entities,
  message_thread_id: int32.optional(),
  is_topic_message: z.boolean().optional(),
  reply_to_message: reply.optional(),
  photo: z.array(file).optional(),
  document: file.optional(),
  voice: file.optional(),
  audio: file.optional(),
  video: file.optional(),
  video_note: file.optional(),
  animation: file.optional(),
  sticker: file.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  new_chat_members: z.array(user).optional(),
  left_chat_member: user.optional(),
});
const member = z.looseObject({ status: z.string(), user: user });
const update = z.looseObject({
  update_id: z.number().int(),
  message: message.optional(),
  edited_message: message.optional(),
  channel_post: message.optional(),
  edited_channel_post: message.optional(),
  callback_query: z
    .looseObject({
      id: z.string(),
      from: user,
      data: z.string().optional(),
      chat_instance: z.string().optional(),
      message: z
        .looseObject({ message_id: int32, chat: chat.optional(), date: z.number().optional() })
        .optional(),
    })
    .optional(),
  my_chat_member: z
    .looseObject({ chat, from: user, old_chat_member: member, new_chat_member: member })
    .optional(),
  chat_member: z
    .looseObject({ chat, from: user, old_chat_member: member, new_chat_member: member })
    .optional(),
  inline_query: z.looseObject({ id: z.string(), from: user, query: z.string() }).optional(),
});

export function wellFormedUpdates(logger: Logger): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    const result = update.safeParse(ctx.update);
    if (result.success) return next();
    logger.warn(
      {
        updateId: (ctx.update as { update_id?: unknown }).update_id,
        issues: result.error.issues.slice(0, 3),
      },
      "malformed update dropped",
    );
    return Promise.resolve();
  };
}
