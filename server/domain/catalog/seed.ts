import type { Db } from "../../../drizzle/client.js";
import { categories } from "../../../drizzle/schema/index.js";

/** The four default categories of seed 000, named in every interface language. */
export const DEFAULT_CATEGORIES = [
  {
    code: "network",
    emoji: "🌐",
    color: "#1E88E5",
    sortOrder: 10,
    name: { fa: "اینترنت و شبکه", en: "Internet & network", ru: "Интернет и сеть" },
  },
  {
    code: "equipment",
    emoji: "🖥️",
    color: "#43A047",
    sortOrder: 20,
    name: { fa: "تجهیزات", en: "Equipment", ru: "Оборудование" },
  },
  {
    code: "software",
    emoji: "💾",
    color: "#8E24AA",
    sortOrder: 30,
    name: { fa: "نرم‌افزار", en: "Software", ru: "Программы" },
  },
  {
    code: "other",
    emoji: "📌",
    color: "#757575",
    sortOrder: 40,
    name: { fa: "سایر", en: "Other", ru: "Другое" },
  },
] as const;

/**
 * Runs at every start but seeds only a catalogue that has no category at all (the
 * first start): an admin who renamed or removed a default keeps it that way.
 */
export async function seedDefaults(db: Db): Promise<void> {
  const [any] = await db.select({ id: categories.id }).from(categories).limit(1);
  if (any) return;
  await db
    .insert(categories)
    .values(DEFAULT_CATEGORIES.map((c) => ({ ...c, name: { ...c.name } })))
    .onConflictDoNothing({ target: categories.code });
}
