import { readFileSync } from "node:fs";
import { join } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * Sections of locales/<lang>/miniapp.json that no part of the first screen (the queue,
 * the navigation, the states) reads: loaded right after it, and awaited by every lazy
 * screen before it shows (App.tsx), so the first screen's JavaScript stays within its
 * budget in every language (docs/MINIAPP.md "Size").
 */
export const LATER_TEXTS = new Set([
  "admin",
  "rules",
  "reportDelivery",
  "field_error",
  "canned",
  "assignment",
  "audit",
  "delivery",
  "abuse",
  "event",
  "new",
  "settings",
  "rating",
  "dashboard_attention",
  "failed",
]);

const PREFIX = "virtual:miniapp-texts/";

/** `virtual:miniapp-texts/<lang>/first` and `…/later`: the two parts of a language's texts. */
function splitTexts(): Plugin {
  return {
    name: "miniapp-texts",
    resolveId: (id) => (id.startsWith(PREFIX) ? `\0${id}` : null),
    load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return null;
      const [lang, part] = id.slice(PREFIX.length + 1).split("/");
      if (!["fa", "en", "ru"].includes(lang)) throw new Error(`no texts for ${lang}`);
      const file = join(import.meta.dirname, "../locales", lang, "miniapp.json");
      this.addWatchFile(file);
      const all = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const picked = Object.entries(all).filter(([key]) => LATER_TEXTS.has(key) === (part === "later"));
      return `export default ${JSON.stringify(Object.fromEntries(picked))};`;
    },
  };
}

/** The Mini App is built into miniapp/dist and served by the product's HTTP server at /. */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react(), splitTexts()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
