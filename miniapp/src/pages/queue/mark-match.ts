/**
 * Where the search's words are in a snippet, to mark them. The server finds them
 * after folding both sides (server/domain/search.ts: ي/ى→ی, ك→ک, ۀ/ة→ه, أ/إ→ا,
 * Persian and Arabic digits → Latin, ZWNJ, ZWJ, direction marks, tatweel and short
 * vowels dropped, lower case); the snippet shows the original text, so the same fold
 * is applied here with each folded character remembering where it came from. The
 * Mini App imports server code as types only, so the table is repeated here and
 * tests/unit/queue-mark-match.test.ts holds the two equal.
 */
const PAIRS: [string, string][] = [
  ["ي", "ی"],
  ["ى", "ی"],
  ["ك", "ک"],
  ["ۀ", "ه"],
  ["ة", "ه"],
  ["أ", "ا"],
  ["إ", "ا"],
  ..."٠١٢٣٤٥٦٧٨٩".split("").map((d, i): [string, string] => [d, String(i)]),
  ..."۰۱۲۳۴۵۶۷۸۹".split("").map((d, i): [string, string] => [d, String(i)]),
];
const DROPPED = "\u200c\u200d\u200e\u200f\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652";
const MAP = new Map<string, string>([...PAIRS, ...DROPPED.split("").map((c): [string, string] => [c, ""])]);

export function foldForMatch(s: string): { folded: string; origins: number[] } {
  let folded = "";
  const origins: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const mapped = MAP.get(s[i]) ?? s[i].toLowerCase();
    for (const ch of mapped) {
      folded += ch;
      origins.push(i);
    }
  }
  return { folded, origins };
}

/** A snippet cut into plain and marked parts: every place the (folded) query is found. */
export function markMatches(text: string, q: string): { text: string; marked: boolean }[] {
  const needle = foldForMatch(q.trim()).folded;
  if (!needle) return [{ text, marked: false }];
  const { folded, origins } = foldForMatch(text);
  const parts: { text: string; marked: boolean }[] = [];
  let from = 0; // index into the original text
  let at = folded.indexOf(needle);
  while (at >= 0) {
    const start = origins[at];
    const end = origins[at + needle.length - 1] + 1;
    if (start > from) parts.push({ text: text.slice(from, start), marked: false });
    parts.push({ text: text.slice(start, end), marked: true });
    from = end;
    at = folded.indexOf(needle, at + needle.length);
  }
  if (from < text.length) parts.push({ text: text.slice(from), marked: false });
  return parts;
}
