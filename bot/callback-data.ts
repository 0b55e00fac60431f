import { z } from "zod";

/**
 * One typed codec for every inline button's callback_data (at most 64 bytes, as
 * Telegram allows). A stale or forged payload decodes to null, never to a guess.
 */
const actions = z.discriminatedUnion("a", [
  z.object({ a: z.literal("take"), t: z.uuid() }),
  z.object({ a: z.literal("rate"), t: z.uuid(), n: z.number().int().min(1).max(5) }),
  z.object({ a: z.literal("reply"), t: z.uuid() }),
  z.object({ a: z.literal("close"), t: z.uuid() }),
  z.object({ a: z.literal("reopen"), t: z.uuid() }),
]);
export type CallbackAction = z.infer<typeof actions>;

export function encodeCallback(action: CallbackAction): string {
  const parts = [action.a, action.t.replaceAll("-", ""), ...("n" in action ? [String(action.n)] : [])];
  const data = parts.join(":");
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data too long: ${data}`);
  return data;
}

const uuidOf = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export function decodeCallback(data: string | undefined): CallbackAction | null {
  if (!data || data.length > 64) return null;
  const [a, t, n] = data.split(":");
  if (!t || !/^[0-9a-f]{32}$/.test(t)) return null;
  const parsed = actions.safeParse({ a, t: uuidOf(t), ...(n !== undefined ? { n: Number(n) } : {}) });
  return parsed.success ? parsed.data : null;
}
