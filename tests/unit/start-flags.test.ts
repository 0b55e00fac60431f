import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * `npm start` runs the product with node flags that keep the embedded database's
 * process small (docs/NOTIFICATIONS.md, "PGlite's memory"); bench:burst measures the
 * product as npm start runs it, so the two must pass the same flags.
 */
const scripts = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"))
  .scripts as Record<string, string>;
const nodeFlags = (script: string) => {
  const match = /^node (.*) --import tsx \S+$/.exec(script);
  if (!match) throw new Error(`not a node --import tsx command: ${script}`);
  return match[1];
};

describe("npm start's node flags", () => {
  it("cap the heap (overridable), compile WebAssembly with the baseline compiler only, keep the young generation small", () => {
    const flags = nodeFlags(scripts.start).split(" ");
    expect(flags).toContain("--liftoff-only");
    expect(flags).toContain("--max-semi-space-size=4");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter with its default, not a template
    expect(flags).toContain("--max-old-space-size=${NODE_HEAP_MB:-192}");
  });

  it("are the ones bench:burst measures the product with", () => {
    expect(nodeFlags(scripts["bench:burst"])).toBe(nodeFlags(scripts.start));
  });
});
