import { z } from "zod";
import { LANGUAGES, NOTIFICATION_TYPES, PRIORITIES } from "../drizzle/schema/index.js";

/**
 * One typed codec for every inline button's callback_data (at most 64 bytes, as
 * Telegram allows): "<action>:<arg>:<arg>". UUIDs travel without dashes. A stale
 * or forged payload decodes to null, never to a guess.
 */
const uuid = z.uuid();
const actions = z.discriminatedUnion("a", [
  z.object({ a: z.literal("take"), t: uuid }),
  z.object({ a: z.literal("rate"), t: uuid, n: z.coerce.number().int().min(1).max(5) }),
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
  z.object({ a: z.literal("into"), t: uuid }),
]);
export type CallbackAction = z.infer<typeof actions>;

/** Field order after the action name, per action. */
const FIELDS: Record<CallbackAction["a"], string[]> = {
  take: ["t"],
  rate: ["t", "n"],
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
  into: ["t"],
};

const UUID_HEX = /^[0-9a-f]{32}$/;
const pack = (v: unknown) =>
  typeof v === "string" && uuid.safeParse(v).success ? v.replaceAll("-", "") : String(v);
const unpack = (v: string) =>
  UUID_HEX.test(v)
    ? `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`
    : v;

export function encodeCallback(action: CallbackAction): string {
  const values = FIELDS[action.a].map((f) => pack((action as Record<string, unknown>)[f]));
  const data = [action.a, ...values].join(":");
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data too long: ${data}`);
  return data;
}

export function decodeCallback(data: string | undefined): CallbackAction | null {
  if (!data || data.length > 64) return null;
  const [a, ...values] = data.split(":");
  const fields = FIELDS[a as CallbackAction["a"]];
  if (!fields || fields.length !== values.length) return null;
  const raw: Record<string, unknown> = { a };
  fields.forEach((f, i) => {
    raw[f] = unpack(values[i]);
  });
  const parsed = actions.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
