import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** What the Mini App's build is made of: its sources, its page, its Vite config and the texts. */
export const miniAppSources = [
  join(root, "miniapp/src"),
  join(root, "miniapp/index.html"),
  join(root, "miniapp/vite.config.ts"),
  join(root, "locales"),
];

/** The newest modification time (ms) of a file or of any file under a folder; 0 when absent. */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { recursive: true, encoding: "utf8" })) {
    const s = statSync(join(path, entry));
    if (s.isFile() && s.mtimeMs > newest) newest = s.mtimeMs;
  }
  return newest;
}

/**
 * Why the built Mini App must be (re)built: `missing` (no dist/index.html) or `stale`
 * (a source changed after the build, e.g. after a git pull); null when it is current.
 */
export function miniAppBuildNeeded(dist: string, sources = miniAppSources): "missing" | "stale" | null {
  const index = join(dist, "index.html");
  if (!existsSync(index)) return "missing";
  const built = statSync(index).mtimeMs;
  return sources.some((s) => newestMtime(s) > built) ? "stale" : null;
}

/**
 * `npm start` never serves a missing or stale Mini App: it builds it (a few seconds)
 * with a visible line. Without Vite (a production install without dev dependencies)
 * the API still runs and the log says how to build.
 */
export async function buildMiniAppIfNeeded(logger: Logger, dist: string): Promise<void> {
  const why = miniAppBuildNeeded(dist);
  if (!why) return;
  const next = `${dist}.build-${process.pid}`;
  try {
    logger.info(
      why === "missing"
        ? "building the Mini App (first start)…"
        : "building the Mini App (its sources changed since the last build)…",
    );
    const started = performance.now();
    const { build } = await import("vite");
    // Built beside and then moved into place: a half-written dist is never served, and two
    // processes starting at once (tests) do not empty each other's build.
    await build({
      configFile: join(root, "miniapp/vite.config.ts"),
      logLevel: "warn",
      build: { outDir: next, emptyOutDir: true },
    });
    rmSync(dist, { recursive: true, force: true });
    renameSync(next, dist);
    logger.info({ ms: Math.round(performance.now() - started) }, "Mini App built");
  } catch (err) {
    rmSync(next, { recursive: true, force: true });
    logger.warn({ err }, "could not build the Mini App; run npm run build");
  }
}
