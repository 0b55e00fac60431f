import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { miniAppBuildNeeded, newestMtime } from "../../server/start/miniapp-build.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree() {
  const root = mkdtempSync(join(tmpdir(), "miniapp-build-"));
  dirs.push(root);
  const src = join(root, "src");
  const dist = join(root, "dist");
  mkdirSync(join(src, "pages"), { recursive: true });
  writeFileSync(join(src, "pages", "a.tsx"), "a");
  return { src, dist };
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe("the Mini App build check", () => {
  it("is missing without dist/index.html", () => {
    const { src, dist } = tree();
    expect(miniAppBuildNeeded(dist, [src])).toBe("missing");
  });

  it("is stale when a source (even a nested one) is newer than the build, current otherwise", () => {
    const { src, dist } = tree();
    mkdirSync(dist);
    writeFileSync(join(dist, "index.html"), "<html>");
    at(join(src, "pages", "a.tsx"), 1_000);
    at(join(dist, "index.html"), 2_000);
    expect(miniAppBuildNeeded(dist, [src, join(src, "gone.ts")])).toBeNull();
    at(join(src, "pages", "a.tsx"), 3_000);
    expect(newestMtime(src)).toBe(3_000_000);
    expect(miniAppBuildNeeded(dist, [src])).toBe("stale");
  });
});
