import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LATER_TEXTS } from "../../miniapp/vite.config.js";

const root = join(import.meta.dirname, "../..");
const src = join(root, "miniapp/src");

/** The files the first screen's JavaScript is built from: static imports from main.tsx, not lazy ones. */
function firstScreenFiles(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"(\.[^"]+)"/gm)) {
      const base = resolve(dirname(file), m[1]).replace(/\.js$/, "");
      const found = [".ts", ".tsx"].map((ext) => base + ext).find((f) => existsSync(f));
      if (found) visit(found);
    }
  };
  visit(join(src, "main.tsx"));
  return [...seen];
}

/** `t("section.…")` and `` t(`section.…`) `` calls of a file, by section. */
const sectionsUsed = (text: string) =>
  new Set([...text.matchAll(/\bt\(\s*["`]([A-Za-z_]+)\./g)].map((m) => m[1]));

/**
 * The Mini App loads its texts in two parts (miniapp/vite.config.ts): the first screen's
 * code must not read a section of the later part, or it would show the key itself. App.tsx
 * is the one exception: its admin sub-navigation is drawn again once the later part is in.
 */
describe("the first screen's texts", () => {
  it("are all in the first part", () => {
    const files = firstScreenFiles();
    expect(files.map((f) => relative(src, f))).toEqual(
      expect.arrayContaining(["main.tsx", "pages/queue/Queue.tsx"]),
    );
    const bad = files
      .filter((f) => !f.endsWith("/App.tsx"))
      .flatMap((f) =>
        [...sectionsUsed(readFileSync(f, "utf8"))]
          .filter((s) => LATER_TEXTS.has(s))
          .map((s) => `${relative(src, f)} reads "${s}"`),
      );
    expect(bad).toEqual([]);
  });

  it("can find a later section where it is read (the check can fail)", () => {
    expect(sectionsUsed(readFileSync(join(src, "pages/AdminAssignment.tsx"), "utf8")).has("assignment")).toBe(
      true,
    );
    expect(LATER_TEXTS.has("assignment")).toBe(true);
  });
});
