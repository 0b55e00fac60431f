import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type TFunction } from "i18next";
import { LANGUAGES, type Language } from "../drizzle/schema/index.js";

const localesDir = fileURLToPath(new URL("../locales", import.meta.url));

/** Every namespace (one JSON per surface) of every language, read from locales/. */
export function loadLocaleResources(): Record<Language, Record<string, Record<string, unknown>>> {
  const out = {} as Record<Language, Record<string, Record<string, unknown>>>;
  for (const lang of LANGUAGES) {
    out[lang] = {};
    for (const file of readdirSync(`${localesDir}/${lang}`).filter((f) => f.endsWith(".json"))) {
      out[lang][file.replace(/\.json$/, "")] = JSON.parse(
        readFileSync(`${localesDir}/${lang}/${file}`, "utf8"),
      );
    }
  }
  return out;
}

/** Persian is written right to left; the doors set dir/rtl marks from this. */
export const isRtl = (lang: Language) => lang === "fa";

/** One initialised i18next instance per process (created by the composition root). */
export async function createI18n(defaultLanguage: Language): Promise<i18n> {
  const resources = loadLocaleResources();
  const namespaces = Object.keys(resources.en);
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: defaultLanguage,
    fallbackLng: "en",
    supportedLngs: [...LANGUAGES],
    ns: namespaces,
    defaultNS: "common",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export type Translator = TFunction;

/** A translator fixed to one language (a user's), for building one reply. */
export const translatorFor = (i18n: i18n, lang: Language): TFunction => i18n.getFixedT(lang);
