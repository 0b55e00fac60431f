/**
 * The bot's conversations, one Telegraf scene each (registered in stage.ts). A
 * feature starts one with `ctx.scene.enter(SCENES.x, state)`; the id is stored in
 * the session, so renaming one ends the conversations that were running in it.
 */
export const SCENES = {
  /** /new: category → title → description → files → priority → confirm (WizardScene). */
  newTicket: "new-ticket",
  /** After tapping Reply on a card: plain messages go into that ticket's thread. */
  replyToTicket: "reply-to-ticket",
  /** A loose message with one open ticket: "add it to T-… or open a new one?" */
  addOrNew: "add-or-new",
  /** After "Add a comment" under a rating: the next message is the rating's comment. */
  ratingComment: "rating-comment",
} as const;
export type SceneId = (typeof SCENES)[keyof typeof SCENES];
