import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { MiddlewareHandler } from "hono";

export const miniAppDist = fileURLToPath(new URL("../../miniapp/dist", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/**
 * Serves the built Mini App: files from miniapp/dist, and index.html for any
 * other path that is not the API (the app navigates on the client). Hashed
 * assets are cached for a year; index.html never, so a new build shows at once.
 */
export function serveMiniApp(dist = miniAppDist): MiddlewareHandler | null {
  if (!existsSync(join(dist, "index.html"))) return null;
  return async (c, next) => {
    if (c.req.method !== "GET" || c.req.path.startsWith("/api/") || c.req.path === "/healthz") return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(c.req.path);
    } catch {
      return c.text("bad path", 400);
    }
    const path = normalize(join(dist, decoded));
    const inside = path.startsWith(dist + sep);
    const isAsset = inside && extname(path) !== "" && existsSync(path);
    const file = isAsset ? path : join(dist, "index.html");
    const body = await readFile(file);
    const cache =
      isAsset && file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache";
    return c.body(body, 200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": cache,
    });
  };
}
