import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { postgresDriverPatched } from "../../drizzle/postgres-driver-check.js";
// @ts-expect-error: a plain .mjs script without type declarations
import { MARKER, patchConnectionSource } from "../../scripts/patch-postgres.mjs";

const run = promisify(execFile);
const url = process.env.TEST_DATABASE_URL;
const builds = ["src", "cjs/src", "cf/src"];

/**
 * postgres.js 3.4.9 crashes the process when PostgreSQL drops a connection with a
 * write queued (porsager/postgres#1208); scripts/patch-postgres.mjs fixes it at
 * install time. These tests make sure the fix is in place and does its job.
 */
describe("the patched postgres.js driver", () => {
  it("is patched in every build npm installed", () => {
    for (const build of builds) {
      const text = readFileSync(`node_modules/postgres/${build}/connection.js`, "utf8");
      expect(text, build).toContain(MARKER);
      expect(text, build).toContain("return dropWriteAfterClose()");
    }
    // The check server/main.ts warns with.
    expect(postgresDriverPatched()).toBe(true);
  });

  it("refuses a driver source it does not recognise instead of half-patching it", () => {
    expect(() => patchConnectionSource("function nextWrite(fn) { other() }", "x.js")).toThrow(
      /x\.js: expected one match/,
    );
    // Already patched text is left alone.
    const done = `// ${MARKER}\n`;
    expect(patchConnectionSource(done)).toBe(done);
  });

  it.skipIf(!url)(
    "keeps the process alive when the server kills a connection: the queries fail, the pool goes on",
    async () => {
      const { stdout } = await run(
        process.execPath,
        ["tests/unit/fixtures/dropped-connection.mjs", url as string],
        {
          timeout: 30_000,
        },
      );
      const steps = Object.fromEntries(
        stdout
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
          .map((s: { step: string; outcome: string }) => [s.step, s.outcome]),
      );
      expect(steps["first after kill"]).toMatch(/^rejected:/);
      // Unpatched: no line at all (the process died) or "hang".
      expect(steps["second after kill"]).toBe("rejected:CONNECTION_CLOSED");
      expect(steps["transaction killed"]).toMatch(/^rejected:/);
      // What the fix must not break: a query that waited for the connection, and the pool itself.
      expect(steps["query queued behind it"]).toBe("ok");
      expect(steps["pool afterwards"]).toBe("ok");
    },
    40_000,
  );
});
