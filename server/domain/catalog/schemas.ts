import { z } from "zod";

export const localizedTextSchema = z.object({
  fa: z.string().trim().min(1).max(100),
  en: z.string().trim().min(1).max(100).optional(),
  ru: z.string().trim().min(1).max(100).optional(),
});
const color = z.string().regex(/^#[0-9A-Fa-f]{6}$/, "a colour like #1E88E5");
const code = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{2,32}$/, "2-32 characters of a-z 0-9 _");

export const createBranchSchema = z.object({
  code,
  name: localizedTextSchema,
  address: z.string().trim().max(500).nullish(),
  phone: z.string().trim().max(40).nullish(),
  staffChatId: z.number().int().nullish(),
});
export const updateBranchSchema = createBranchSchema
  .partial()
  .extend({ id: z.uuid(), isActive: z.boolean().optional() });

export const createCategorySchema = z.object({
  code,
  name: localizedTextSchema,
  description: localizedTextSchema.partial().default({}),
  emoji: z.string().trim().min(1).max(16).default("📁"),
  color: color.default("#607D8B"),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
});
export const updateCategorySchema = z.object({
  id: z.uuid(),
  code: code.optional(),
  name: localizedTextSchema.optional(),
  description: localizedTextSchema.partial().optional(),
  emoji: z.string().trim().min(1).max(16).optional(),
  color: color.optional(),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
  isActive: z.boolean().optional(),
});

export const createLabelSchema = z.object({
  name: z.string().trim().min(1).max(40),
  color: color.default("#9E9E9E"),
});
// Spelled out: .partial() would keep create's colour default and reset it on every rename.
export const updateLabelSchema = z.object({
  id: z.uuid(),
  name: createLabelSchema.shape.name.optional(),
  color: color.optional(),
  isActive: z.boolean().optional(),
});

export const listCatalogSchema = z.object({
  includeInactive: z.preprocess((v) => v === true || v === "true", z.boolean()).default(false),
});
