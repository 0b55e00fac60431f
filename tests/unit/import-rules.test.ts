import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

function filesUnder(dir: string): string[] {
  const abs = join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => join(abs, f));
}

/** Every import specifier of a file (static, dynamic, re-export). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map((m) => m[1]);
  return found;
}

function violations(dir: string, forbidden: RegExp[]): string[] {
  return filesUnder(dir).flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden.some((re) => re.test(spec)))
      .map((spec) => `${relative(root, file)} imports ${spec}`),
  );
}

/**
 * What bot/ may import of the server: the domain's public surface, nothing else — no
 * drizzle (a query the bot needs is a domain read), no deep domain path, no other
 * server module. Relative imports are resolved, so "../../drizzle/x.js" is caught too.
 */
function serverViolationsUnder(dir: string): string[] {
  return filesUnder(dir).flatMap((file) =>
    importsOf(file)
      .filter((spec) => {
        if (/^drizzle-orm(\/|$)/.test(spec)) return true;
        if (!spec.startsWith(".")) return false;
        const target = relative(root, resolve(dirname(file), spec));
        if (target.startsWith("drizzle/") || target === "drizzle") return true;
        return target.startsWith("server/") && target.replace(/\.(js|ts)$/, "") !== "server/domain/index";
      })
      .map((spec) => `${relative(root, file)} imports ${spec}`),
  );
}

describe("architecture boundaries (docs/ARCHITECTURE.md)", () => {
  it("keeps server/domain free of hono, telegraf and bot/", () => {
    expect(violations("server/domain", [/^hono/, /^@hono\//, /^telegraf/, /(^|\/)bot\//])).toEqual([]);
  });

  it("keeps bot/ from importing the HTTP door", () => {
    expect(violations("bot", [/server\/http/, /^hono/, /^@hono\//])).toEqual([]);
  });

  it("lets bot/ reach the server through server/domain/index.ts only", () => {
    expect(serverViolationsUnder("bot")).toEqual([]);
  });

  it("lets the Mini App import server code as types only", () => {
    const bad = filesUnder("miniapp/src").flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [
        ...text.matchAll(/^import\s+(?!type\b)[^;]*from\s+["']([^"']*(?:server|drizzle)\/[^"']*)["']/gm),
      ].map((m) => `${relative(root, file)} imports ${m[1]} at runtime`);
    });
    expect(bad).toEqual([]);
  });

  it("actually finds imports (the check can fail)", () => {
    expect(violations("server/domain", [/^drizzle-orm/]).length).toBeGreaterThan(0);
    // The benchmark scripts seed with drizzle directly: the bot's rule would refuse them.
    expect(serverViolationsUnder("scripts").length).toBeGreaterThan(0);
  });
});
