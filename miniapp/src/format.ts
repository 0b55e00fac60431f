const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
export const persianDigits = (s: string) => s.replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]);

/**
 * A date as the reader expects it: in fa the Jalali (Persian) calendar with Persian
 * digits, from the browser's own ICU (`fa-IR-u-ca-persian`), so the first screen does
 * not carry a calendar library (date-fns-jalali stays in the lazily loaded admin and
 * report screens).
 */
export function formatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  const locale = lang === "fa" ? "fa-IR-u-ca-persian-nu-arabext" : lang === "ru" ? "ru-RU" : "en-GB";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
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

/** "From → to" as the line reads: in Persian the line runs right to left, so the arrow points left. */
export const arrowOf = (lang: string) => (lang === "fa" ? "←" : "→");

/** Between the items of a list: Persian writes the Arabic comma. */
export const listSeparator = (lang: string) => (lang === "fa" ? "، " : ", ");
