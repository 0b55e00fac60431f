import { z } from "zod";

/**
 * The admin forms' and New ticket's rules, checked before anything is sent, so a mistake
 * is said next to its field at once. The Mini App may import no server code at run time
 * (tests/unit/import-rules.test.ts), so these repeat the bounds of the server's schemas
 * (server/domain/catalog/schemas.ts, users/schemas.ts, settings/store.ts,
 * tickets/schemas.ts, canned/schemas.ts); the server checks again and its 422 is shown
 * the same way, so a bound that drifts is still said, one round trip later.
 */

const colour = z.string().regex(/^#[0-9A-Fa-f]{6}$/);
const code = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{2,32}$/);
const name = z.string().trim().min(1).max(100);
const optionalName = name.optional();
export const localizedNameForm = z.object({ fa: name, en: optionalName, ru: optionalName });
const localizedDescription = z.object({ fa: optionalName, en: optionalName, ru: optionalName });

export const branchForm = z.object({
  code: code.optional(),
  name: localizedNameForm,
  staffChatId: z.number().int().nullable().optional(),
});
export const categoryForm = z.object({
  code: code.optional(),
  name: localizedNameForm,
  description: localizedDescription,
  emoji: z.string().trim().min(1).max(16),
  color: colour,
  sortOrder: z.number().int().min(0).max(10_000),
});
export const labelForm = z.object({ name: z.string().trim().min(1).max(40), color: colour });

export const personForm = z.object({
  telegramId: z.number().int().positive(),
  firstName: z.string().trim().min(1).max(256),
  lastName: z.string().trim().max(256).nullable(),
  username: z
    .string()
    .trim()
    .regex(/^@?[A-Za-z0-9_]{3,32}$/)
    .nullable(),
});

const whole = (min: number, max: number) => z.number().int().min(min).max(max);
export const settingsForm = z
  .object({
    staff_chat_id: z.number().int().nullable(),
    auto_close_hours: whole(0, 24 * 365),
    auto_close_business_hours: z.boolean(),
    reopen_days: whole(0, 3650),
    max_file_mb: z.number().positive().max(2000).nullable(),
    live_capacity: whole(1, 50),
    live_offer_seconds: whole(5, 600),
    presence_timeout_minutes: whole(1, 24 * 60),
  })
  .partial();

export const TITLE_MIN = 3;
export const newTicketForm = z.object({
  title: z.string().trim().min(TITLE_MIN).max(120),
  description: z.string().trim().max(4000),
  categoryId: z.string().min(1),
});

const cannedBody = z.string().trim().min(1).max(3800).optional();
export const cannedForm = z.object({
  title: z.string().trim().min(1).max(100),
  bodies: z
    .object({ fa: cannedBody, en: cannedBody, ru: cannedBody })
    .refine((b) => Boolean(b.fa ?? b.en ?? b.ru), { params: { code: "required" } }),
});

export const assignmentPolicyForm = z.object({
  branchId: z.string().nullable(),
  categoryId: z.string().nullable(),
  strategy: z.enum(["off", "round_robin", "least_busy"]),
  capacity: z.number().int().min(1).max(1000),
});
