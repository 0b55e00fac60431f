import { format as formatJalali } from "date-fns-jalali";

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
export const persianDigits = (s: string) => s.replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]);

/** A date as the reader expects it: Jalali calendar and Persian digits in fa. */
export function formatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  if (lang === "fa") return persianDigits(formatJalali(d, "d MMMM yyyy، HH:mm"));
  return new Intl.DateTimeFormat(lang === "ru" ? "ru-RU" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(d);
}

/** Numbers in the reader's digits. */
export const formatNumber = (n: number, lang: string) =>
  lang === "fa" ? persianDigits(String(n)) : String(n);

/** A catalog name kept per language, in the reader's (Persian, always given, otherwise). */
export const localName = (n: { fa: string; en?: string; ru?: string }, lang: string) =>
  n[lang as "fa"] ?? n.fa;

/** Someone's full name, as lists show people. */
export const fullName = (p: { firstName: string; lastName?: string | null }) =>
  [p.firstName, p.lastName].filter(Boolean).join(" ");

/** Someone as pickers show them: full name, then their @username when they have one. */
export const personLabel = (p: { firstName: string; lastName?: string | null; username?: string | null }) =>
  `${fullName(p)}${p.username ? ` (@${p.username})` : ""}`;
