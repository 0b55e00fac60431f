import { readFileSync } from "node:fs";
import { sign } from "@telegram-apps/init-data-node";
import { Hono } from "hono";
import type { Language } from "../../drizzle/schema/index.js";
import { isRtl, loadLocaleResources } from "../i18n.js";
import type { Persona } from "./cast.js";
import type { SandboxTelegram } from "./world.js";

const page = readFileSync(new URL("./page.html", import.meta.url), "utf8");
const LANGUAGES = new Set(["fa", "en", "ru"]);
const texts = loadLocaleResources();

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The page in one language (locales/<lang>/sandbox.json): each {{key}} filled, the
 * direction set (fa right to left), and the texts its script shows handed over as T.
 */
function pageIn(lang: Language): string {
  const t = texts[lang].sandbox as Record<string, string>;
  const vars = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, escapeHtml(v)]));
  // Inside <script>: JSON with "<" escaped so no text can close the element.
  const json = JSON.stringify(t).replace(/</g, "\\u003c");
  return page
    .replace('<html lang="en" dir="ltr">', `<html lang="${lang}" dir="${isRtl(lang) ? "rtl" : "ltr"}">`)
    .replace(/\{\{(\w+)\}\}/g, (all, key: string) => vars[key] ?? all)
    .replace("/* texts */ {}", () => json);
}

/** ?lang=, else the browser's first language we speak, else English. */
function languageOf(query: string | undefined, accept: string | undefined): Language {
  if (query && LANGUAGES.has(query)) return query as Language;
  const asked = (accept ?? "").split(",").map((part) => part.trim().slice(0, 2).toLowerCase());
  return (asked.find((l) => LANGUAGES.has(l)) as Language | undefined) ?? "en";
}

/**
 * /sandbox: the page (a requester's chat, the staff group, the Mini App side by side)
 * and its small JSON API. Mounted by the HTTP app only in sandbox mode.
 */
export function sandboxRoutes(telegram: SandboxTelegram) {
  const app = new Hono();
  const asNumber = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : Number(v));
  app.get("/", (c) => c.html(pageIn(languageOf(c.req.query("lang"), c.req.header("accept-language")))));
  app.get("/api/people", (c) => c.json({ people: telegram.people, staffChatId: telegram.staffChatId }));
  app.get("/api/state", (c) => {
    const since = Number(c.req.query("since") ?? -1);
    if (since === telegram.version()) return c.body(null, 204);
    return c.json(telegram.snapshot());
  });
  app.post("/api/say", async (c) => {
    const b = await c.req.json<{
      chatId: number;
      fromId: number;
      text: string;
      threadId?: number;
      replyTo?: number;
    }>();
    const id = telegram.say(
      Number(b.chatId),
      Number(b.fromId),
      { text: String(b.text) },
      { threadId: asNumber(b.threadId), replyTo: asNumber(b.replyTo) },
    );
    return c.json({ id });
  });
  app.post("/api/press", async (c) => {
    const b = await c.req.json<{ chatId: number; messageId: number; data: string; fromId: number }>();
    telegram.press(Number(b.chatId), Number(b.messageId), String(b.data), Number(b.fromId));
    return c.json({ ok: true });
  });
  app.post("/api/upload", async (c) => {
    const form = await c.req.formData();
    const file = form.get("file");
    if (!(file instanceof File)) return c.json({ error: "file missing" }, 400);
    const kind = form.get("kind") === "photo" ? "photo" : "document";
    const id = telegram.say(
      Number(form.get("chatId")),
      Number(form.get("fromId")),
      {
        caption: String(form.get("caption") ?? "") || undefined,
        file: {
          kind,
          name: file.name || (kind === "photo" ? "photo.jpg" : "file"),
          mime: file.type || "application/octet-stream",
          bytes: Buffer.from(await file.arrayBuffer()),
        },
      },
      { threadId: asNumber(form.get("threadId")), replyTo: asNumber(form.get("replyTo")) },
    );
    return c.json({ id });
  });
  app.post("/api/language", async (c) => {
    const b = await c.req.json<{ id: number; language: string }>();
    const person = telegram.people.find((p) => p.id === Number(b.id));
    if (!person || !LANGUAGES.has(b.language)) return c.json({ error: "unknown person or language" }, 400);
    person.language = b.language as "fa" | "en" | "ru";
    return c.json({ ok: true });
  });
  // The Mini App as a persona: launch parameters in the URL hash, as Telegram opens it,
  // with initData signed by the sandbox's bot token (the server checks it as in production).
  app.get("/api/miniapp", (c) => {
    const persona = (c.req.query("persona") ?? "agent") as Persona;
    const requester = Number(c.req.query("requester"));
    const person =
      persona === "requester"
        ? telegram.people.find((p) => p.id === requester && p.role === "requester")
        : telegram.people.find((p) => p.role === persona);
    if (!person) return c.json({ error: "unknown persona" }, 400);
    const lang = LANGUAGES.has(c.req.query("lang") ?? "") ? String(c.req.query("lang")) : person.language;
    const initData = sign(
      {
        user: {
          id: person.id,
          first_name: person.firstName,
          last_name: person.lastName,
          username: person.username,
          language_code: lang,
        },
      },
      telegram.token,
      new Date(),
    );
    const startParam = c.req.query("start");
    const hash = new URLSearchParams({
      tgWebAppData: initData,
      tgWebAppVersion: "8.0",
      tgWebAppPlatform: "tdesktop",
      tgWebAppThemeParams: JSON.stringify({
        bg_color: "#ffffff",
        text_color: "#000000",
        hint_color: "#707579",
        button_color: "#3390ec",
        button_text_color: "#ffffff",
        secondary_bg_color: "#f4f4f5",
      }),
      ...(startParam ? { tgWebAppStartParam: startParam } : {}),
    });
    return c.json({ url: `/?sandbox=${Date.now()}#${hash}`, person });
  });
  return app;
}
