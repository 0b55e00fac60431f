import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * PDFs are read back with poppler's pdftotext (Debian package poppler-utils),
 * whose own bidi pass puts right-to-left lines in reading order. Like the browser
 * tests: on a machine without it the checks that need it are skipped with a loud
 * notice, and in CI (where .ci/run installs it) a missing pdftotext fails the run.
 */
function found(): boolean {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const hasPdfToText = found();
if (!hasPdfToText && process.env.CI) throw new Error("pdftotext is missing: CI must read the PDFs back");
if (!hasPdfToText)
  console.warn("⚠ PDF text checks skipped: pdftotext is missing (apt-get install -y poppler-utils)");

/** The text of a PDF, in reading order, without zero-width non-joiners (shaping adds them). */
export function pdfText(bytes: Uint8Array, dir: string): string {
  const file = join(dir, `read-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"])
    .toString()
    .replace(/\u200c/g, "");
}
