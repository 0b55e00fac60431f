/**
 * The Mini App's texts: the same locales/ files the bot and the server use, only the
 * reader's language fetched (one JSON chunk per language and file, so the first
 * screen does not carry all three). A small lookup instead of i18next: the app needs
 * `ns:key.path`, `{{name}}` and a default value, and i18next alone weighed 16 kB
 * gzipped of the first screen's budget (docs/MINIAPP.md).
 */
type Tree = { [key: string]: string | Tree };
type Namespaces = Record<"miniapp" | "common" | "errors", Tree>;

const FILES = import.meta.glob<Tree>("../../locales/*/{common,errors}.json", { import: "default" });
type Part = () => Promise<{ default: unknown }>;
/** miniapp.json in two parts (miniapp/vite.config.ts): what the first screen reads, and the rest. */
const MINIAPP: Record<string, { first: Part; later: Part }> = {
  fa: {
    first: () => import("virtual:miniapp-texts/fa/first"),
    later: () => import("virtual:miniapp-texts/fa/later"),
  },
  en: {
    first: () => import("virtual:miniapp-texts/en/first"),
    later: () => import("virtual:miniapp-texts/en/later"),
  },
  ru: {
    first: () => import("virtual:miniapp-texts/ru/first"),
    later: () => import("virtual:miniapp-texts/ru/later"),
  },
};

async function load(language: string): Promise<Namespaces> {
  const file = (ns: string) => FILES[`../../locales/${language}/${ns}.json`]?.() ?? Promise.resolve({});
  const first = MINIAPP[language]?.first ?? (() => Promise.resolve({ default: {} }));
  const [miniapp, common, errors] = await Promise.all([first(), file("common"), file("errors")]);
  return { miniapp: { ...(miniapp.default as Tree) }, common, errors };
}

/**
 * The language in force: set at boot (browser language) and again once the user's own
 * is known. The one piece of module state the texts keep, as i18next kept it before.
 */
const current: { texts: Namespaces | null; language: string; later: Promise<void> | null } = {
  texts: null,
  language: "fa",
  later: null,
};

export async function setupI18n(language: string) {
  current.texts = await load(language);
  current.language = language;
  current.later = null;
  document.documentElement.lang = language;
  // Persian reads right to left: the whole layout flips.
  document.documentElement.dir = language === "fa" ? "rtl" : "ltr";
}

/**
 * The rest of the reader's texts (the admin forms', the ticket screen's…), fetched once
 * after the first screen; lazy screens wait for it before they show.
 */
export function loadLaterTexts(): Promise<void> {
  const texts = current.texts;
  const part = MINIAPP[current.language]?.later;
  if (!texts || !part) return Promise.resolve();
  current.later ??= part().then(
    (m) => {
      Object.assign(texts.miniapp, m.default as Tree);
    },
    (err) => {
      // Asked again by the next screen that needs them (a lost connection is not forever).
      current.later = null;
      throw err;
    },
  );
  return current.later;
}

function lookup(tree: Tree | undefined, path: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** `key` or `ns:key`, with `{{name}}` filled from `opts`; the key itself when it is missing. */
export function t(key: string, opts?: Record<string, unknown>): string {
  const colon = key.indexOf(":");
  const ns = (colon > 0 ? key.slice(0, colon) : "miniapp") as keyof Namespaces;
  const path = colon > 0 ? key.slice(colon + 1) : key;
  const found = lookup(current.texts?.[ns], path);
  const text = found ?? (typeof opts?.defaultValue === "string" ? opts.defaultValue : key);
  if (!opts) return text;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in opts ? String(opts[name]) : whole,
  );
}
