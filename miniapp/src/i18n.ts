import i18next from "i18next";
import enCommon from "../../locales/en/common.json";
import enErrors from "../../locales/en/errors.json";
import enApp from "../../locales/en/miniapp.json";
import faCommon from "../../locales/fa/common.json";
import faErrors from "../../locales/fa/errors.json";
import faApp from "../../locales/fa/miniapp.json";
import ruCommon from "../../locales/ru/common.json";
import ruErrors from "../../locales/ru/errors.json";
import ruApp from "../../locales/ru/miniapp.json";

/** The Mini App's texts: the same locales/ files the bot and the server use. */
export async function setupI18n(language: string) {
  await i18next.init({
    lng: language,
    fallbackLng: "en",
    defaultNS: "miniapp",
    resources: {
      en: { miniapp: enApp, common: enCommon, errors: enErrors },
      fa: { miniapp: faApp, common: faCommon, errors: faErrors },
      ru: { miniapp: ruApp, common: ruCommon, errors: ruErrors },
    },
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = language;
  // Persian reads right to left: the whole layout flips.
  document.documentElement.dir = language === "fa" ? "rtl" : "ltr";
  return i18next;
}

export const t = (key: string, opts?: Record<string, unknown>) => i18next.t(key, opts);
