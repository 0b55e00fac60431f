import { z } from "zod";
import {
  LANGUAGES,
  MODERATION_STATES,
  NOTIFICATION_TYPES,
  PRIORITIES,
  TICKET_STATUSES,
} from "../../server/domain/index.js";
import { NEW_TICKET_STEPS } from "../session.js";

/**
 * One typed codec for every inline button's callback_data (at most 64 bytes, as
 * Telegram allows): "<action>:<arg>:<arg>". UUIDs travel as 22 base64url
 * characters, so two fit in one button; the 32-hex form of earlier buttons still
 * decodes. A stale or forged payload decodes to null, never to a guess.
 */
const uuid = z.uuid();
const actions = z.discriminatedUnion("a", [
  z.object({ a: z.literal("take"), t: uuid }),
  z.object({ a: z.literal("rate"), t: uuid, n: z.coerce.number().int().min(1).max(5) }),
  /** Add a comment to the rating just given. */
  z.object({ a: z.literal("rcom"), t: uuid }),
  z.object({ a: z.literal("reply"), t: uuid }),
  z.object({ a: z.literal("close"), t: uuid }),
  z.object({ a: z.literal("reopen"), t: uuid }),
  z.object({ a: z.literal("card"), t: uuid }),
  z.object({ a: z.literal("lang"), l: z.enum(LANGUAGES) }),
  z.object({ a: z.literal("my"), p: z.coerce.number().int().min(0).max(10_000) }),
  z.object({ a: z.literal("pref"), k: z.enum(NOTIFICATION_TYPES) }),
  /** Steps of the /new conversation. */
  z.object({ a: z.literal("cat"), c: uuid }),
  z.object({ a: z.literal("pri"), p: z.enum(PRIORITIES) }),
  z.object({
    a: z.literal("flow"),
    f: z.enum(["back", "cancel", "skip", "done", "confirm", "edit", "new", "add"]),
  }),
  /** Skip, Done and Back of one /new step: pressed at another step, the button is stale. */
  z.object({ a: z.literal("nav"), f: z.enum(["skip", "done", "back"]), s: z.enum(NEW_TICKET_STEPS) }),
  z.object({ a: z.literal("into"), t: uuid }),
  /** The staff card's menus, and the choices in them ("-" assigns nobody). */
  z.object({ a: z.literal("menu"), t: uuid, m: z.enum(["main", "assign", "status", "priority"]) }),
  z.object({ a: z.literal("asg"), t: uuid, u: z.union([uuid, z.literal("-")]) }),
  z.object({ a: z.literal("st"), t: uuid, s: z.enum(TICKET_STATUSES) }),
  z.object({ a: z.literal("pr"), t: uuid, p: z.enum(PRIORITIES) }),
  /** /canned in a staff chat: send reply r on ticket t; or show page p of the list. */
  z.object({ a: z.literal("cn"), t: uuid, r: uuid }),
  z.object({ a: z.literal("cnp"), t: uuid, p: z.coerce.number().int().min(0).max(1000) }),
  /** The staff card's "Requester…" menu, and ban / shadow-ban / unban ("none") of ticket t's requester. */
  z.object({ a: z.literal("modm"), t: uuid }),
  z.object({ a: z.literal("mod"), t: uuid, s: z.enum(MODERATION_STATES) }),
  /** "Talk to an operator" (the requester's menu). */
  z.object({ a: z.literal("live") }),
  /** A live chat's buttons: accept or decline an offer, leave the queue, end the chat. */
  z.object({ a: z.literal("lv"), k: z.enum(["acc", "dec", "leave", "end"]), c: uuid }),
]);
export type CallbackAction = z.infer<typeof actions>;

/** Field order after the action name, per action. */
const FIELDS: Record<CallbackAction["a"], string[]> = {
  take: ["t"],
  rate: ["t", "n"],
  rcom: ["t"],
  reply: ["t"],
  close: ["t"],
  reopen: ["t"],
  card: ["t"],
  lang: ["l"],
  my: ["p"],
  pref: ["k"],
  cat: ["c"],
  pri: ["p"],
  flow: ["f"],
  nav: ["f", "s"],
  into: ["t"],
  menu: ["t", "m"],
  asg: ["t", "u"],
  st: ["t", "s"],
  pr: ["t", "p"],
  cn: ["t", "r"],
  cnp: ["t", "p"],
  modm: ["t"],
  mod: ["t", "s"],
  live: [],
  lv: ["k", "c"],
};
const UUID_FIELDS = new Set(["t", "c", "u", "r"]);

const UUID_HEX = /^[0-9a-f]{32}$/;
const UUID_B64 = /^[A-Za-z0-9_-]{22}$/;
const pack = (v: unknown) =>
  typeof v === "string" && uuid.safeParse(v).success
    ? Buffer.from(v.replaceAll("-", ""), "hex").toString("base64url")
    : String(v);
function unpack(field: string, v: string): string {
  if (!UUID_FIELDS.has(field)) return v;
  const hex = UUID_HEX.test(v) ? v : UUID_B64.test(v) ? Buffer.from(v, "base64url").toString("hex") : null;
  if (hex?.length !== 32) return v;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function encodeCallback(action: CallbackAction): string {
  const values = FIELDS[action.a].map((f) => pack((action as Record<string, unknown>)[f]));
  const data = [action.a, ...values].join(":");
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data too long: ${data}`);
  return data;
}

export function decodeCallback(data: string | undefined): CallbackAction | null {
  if (!data || data.length > 64) return null;
  const [a, ...values] = data.split(":");
  // Own keys only: "valueOf" or "constructor" would find Object.prototype's functions.
  const fields = Object.hasOwn(FIELDS, a) ? FIELDS[a as CallbackAction["a"]] : undefined;
  if (!fields || fields.length !== values.length) return null;
  const raw: Record<string, unknown> = { a };
  fields.forEach((f, i) => {
    raw[f] = unpack(f, values[i]);
  });
  const parsed = actions.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The button pressed in a callback query update, decoded; null for anything else. */
export function buttonOf(ctx: { callbackQuery?: object }): CallbackAction | null {
  const query = ctx.callbackQuery as { data?: string } | undefined;
  return decodeCallback(query?.data);
}
