import { type SQL, sql } from "drizzle-orm";
import { users } from "../../drizzle/schema/index.js";

/**
 * Search that treats text typed on different keyboards alike. Persian is written
 * with Arabic ي/ى and ك as often as with Persian ی and ک, with or without the
 * zero-width non-joiner (نمی‌خواهم / نمیخواهم), with Persian, Arabic or Latin
 * digits, and sometimes with diacritics or a tatweel. Both sides of a search are
 * folded the same way: the database by `helpdesk_fold` (migration 0017, the
 * function the trigram indexes are built on), this file by `foldText` where a
 * match must be found again in JavaScript (the snippet). The two share one table.
 * The fold is also stored with each row (tickets.search_fold, messages.body_fold,
 * migration 0035): a change to it needs a migration that rewrites those columns too.
 */
const FOLD_PAIRS: [string, string][] = [
  ["ي", "ی"], // Arabic yeh → Persian yeh
  ["ى", "ی"], // alef maksura
  ["ك", "ک"], // Arabic kaf → keheh
  ["ۀ", "ه"],
  ["ة", "ه"],
  ["أ", "ا"],
  ["إ", "ا"],
  ..."٠١٢٣٤٥٦٧٨٩".split("").map((d, i): [string, string] => [d, String(i)]),
  ..."۰۱۲۳۴۵۶۷۸۹".split("").map((d, i): [string, string] => [d, String(i)]),
];
/** Dropped: ZWNJ, ZWJ, LRM, RLM, tatweel, and the Arabic short-vowel marks (U+064B–U+0652). */
const FOLD_DROPPED = "\u200c\u200d\u200e\u200f\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652";

/** translate()'s arguments: characters past the end of `to` are deleted. */
export const FOLD_FROM = FOLD_PAIRS.map(([f]) => f).join("") + FOLD_DROPPED;
export const FOLD_TO = FOLD_PAIRS.map(([, t]) => t).join("");

const FOLD_MAP = new Map<string, string>([
  ...FOLD_PAIRS,
  ...FOLD_DROPPED.split("").map((c): [string, string] => [c, ""]),
]);

/** `s` folded as the database folds it: lower case, one form per letter and digit, no invisible marks. */
export const foldText = (s: string) => foldWithOrigins(s).folded;

/** The folded text, and for each of its characters the index of the original character it came from. */
export function foldWithOrigins(s: string): { folded: string; origins: number[] } {
  let folded = "";
  const origins: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const mapped = FOLD_MAP.get(s[i]) ?? s[i].toLowerCase();
    for (const ch of mapped) {
      folded += ch;
      origins.push(i);
    }
  }
  return { folded, origins };
}

/** An ILIKE/LIKE pattern matching `q` anywhere, with LIKE's own characters (\ % _) taken literally. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL: `haystack`, folded, contains `q`, folded. Served by a trigram index on helpdesk_fold(haystack). */
export const foldedContains = (haystack: SQL, q: string): SQL =>
  foldedColumnContains(sql`helpdesk_fold(${haystack})`, q);

/**
 * SQL: a column that already holds folded text (tickets.search_fold, messages.body_fold:
 * migration 0035) contains `q`, folded. Only the pattern is folded here, once.
 */
export function foldedColumnContains(folded: SQL, q: string): SQL {
  return sql`${folded} like helpdesk_fold(${containsPattern(q)})`;
}

/** A person whose first name, last name or username contains `q` (any case, any keyboard). */
export function personMatches(q: string): SQL {
  return foldedContains(
    sql`${users.firstName} || ' ' || coalesce(${users.lastName}, '') || ' ' || coalesce(${users.username}, '')`,
    q,
  );
}

/**
 * Up to `radius` characters either side of the first place `q` occurs in `text`
 * (compared folded), on one line, with "…" where it was cut; null when it does not occur.
 */
export function snippetAround(text: string, q: string, radius = 60): string | null {
  const needle = foldText(q.trim());
  if (!needle) return null;
  const { folded, origins } = foldWithOrigins(text);
  const at = folded.indexOf(needle);
  if (at < 0) return null;
  const start = origins[at];
  const end = origins[at + needle.length - 1] + 1;
  const from = Math.max(0, start - radius);
  const to = Math.min(text.length, end + radius);
  const cut = text.slice(from, to).replace(/\s+/g, " ").trim();
  return `${from > 0 ? "…" : ""}${cut}${to < text.length ? "…" : ""}`;
}
