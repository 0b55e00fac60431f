import type { Language, User } from "../../server/domain/index.js";

/** Telegram's HTML parse mode: every value a person wrote is escaped before it goes in. */
export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** How a person is named on buttons and in answers: "First Last (@user)", or what there is. */
export function displayName(
  u: Pick<User, "firstName" | "lastName" | "username"> | null,
  fallback: string,
): string {
  if (!u) return fallback;
  const name = [u.firstName, u.lastName].filter(Boolean).join(" ").trim();
  if (name && u.username) return `${name} (@${u.username})`;
  return name || (u.username ? `@${u.username}` : fallback);
}

/** Dates as people read them: the Persian (Jalali) calendar and digits in fa. */
export function formatDate(d: Date, lang: Language, timeZone: string): string {
  const key = `${lang}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    const locale = lang === "fa" ? "fa-IR-u-ca-persian" : lang === "ru" ? "ru-RU" : "en-GB";
    format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
    dateFormats.set(key, format);
  }
  return format.format(d);
}
/** Building an Intl formatter costs far more than using one: one per language and zone. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A time of day as people read it (digits of their language): "10:32". */
export function formatTime(d: Date, lang: Language, timeZone: string): string {
  const key = `${lang}|${timeZone}`;
  let format = timeFormats.get(key);
  if (!format) {
    const locale = lang === "fa" ? "fa-IR" : lang === "ru" ? "ru-RU" : "en-GB";
    format = new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone });
    timeFormats.set(key, format);
  }
  return format.format(d);
}
const timeFormats = new Map<string, Intl.DateTimeFormat>();
