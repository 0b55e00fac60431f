import bidiFactory from "bidi-js";

/**
 * One piece of a line to draw left to right: its characters in logical order and
 * whether they read right to left. The font engine (fontkit, inside pdfkit) joins
 * Persian and Arabic letters and lays an Arabic-script run out right to left
 * itself, so a run is handed to it in logical order; what it cannot do is order
 * the runs of a mixed line (Persian words around a ticket number or a date),
 * which is the Unicode Bidirectional Algorithm's work (bidi-js).
 */
export interface VisualRun {
  text: string;
  rtl: boolean;
}

const bidi = bidiFactory();

/** Text with a strong right-to-left letter (Hebrew, Arabic, Persian, Syriac, Thaana, N'Ko). */
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * The runs of one line in the order they appear from left to right.
 * `direction` is the paragraph's: "rtl" for a Persian reader's headings, so a line
 * that starts with a number still reads from the right; "auto" takes the first
 * strong letter's (a cell: an English title on a Persian page reads left to right);
 * "ltr" for numbers and dates, which read left to right on any page.
 */
export function visualRuns(text: string, direction: "rtl" | "ltr" | "auto"): VisualRun[] {
  if (text === "") return [];
  // Most cells (numbers, dates, English names) have nothing to reorder.
  if (!RTL_LETTER.test(text) && direction !== "rtl") return [{ text, rtl: false }];
  const { levels } = bidi.getEmbeddingLevels(text, direction === "auto" ? undefined : direction);
  const mirrored = bidi.getMirroredCharactersMap(text, levels);
  // UTF-16 units, as bidi-js indexes them (a surrogate pair shares one level).
  const source = text.split("");
  for (const [i, ch] of mirrored) source[i] = ch;
  // Maximal runs of one level, in logical order.
  const runs: Array<{ start: number; end: number; level: number }> = [];
  for (let i = 0; i < source.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i] && last.end === i) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, level: levels[i] });
  }
  // UBA rule L2: from the highest level down to the lowest odd one, reverse every
  // sequence of runs at that level or higher.
  const highest = Math.max(...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd && level > 0; level--) {
    let i = 0;
    while (i < runs.length) {
      if (runs[i].level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j].level >= level) j++;
      const reversed = runs.slice(i, j).reverse();
      runs.splice(i, j - i, ...reversed);
      i = j;
    }
  }
  return runs.map((r) => ({ text: source.slice(r.start, r.end).join(""), rtl: r.level % 2 === 1 }));
}

/**
 * A run's characters in the order to hand to the font engine, which reverses a run
 * by its script, not by its bidi level: it lays out any run holding an
 * Arabic-script character right to left. So a left-to-right run of Persian digits
 * (۱۴۰۵) is given reversed, to come out in reading order, and a right-to-left run
 * without such a character (spaces, brackets between two Persian words) is
 * reversed here because the engine would not.
 */
export function drawOrder(run: VisualRun): string {
  if (run.rtl === ARABIC_SCRIPT.test(run.text)) return run.text;
  return [...run.text].reverse().join("");
}

/** What fontkit lays out right to left (its script detection): Arabic-script characters. */
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
