import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../server/domain/errors.js";
import { loadLocaleResources } from "../../server/i18n.js";

function keysOf(obj: unknown, prefix = ""): string[] {
  if (typeof obj !== "object" || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

const resources = loadLocaleResources();

describe("translations", () => {
  it("have the same namespaces and keys in fa, en and ru", () => {
    const namespaces = Object.keys(resources.en).sort();
    expect(Object.keys(resources.fa).sort()).toEqual(namespaces);
    expect(Object.keys(resources.ru).sort()).toEqual(namespaces);
    for (const ns of namespaces) {
      const en = keysOf(resources.en[ns]).sort();
      expect({ ns, lang: "fa", keys: keysOf(resources.fa[ns]).sort() }).toEqual({ ns, lang: "fa", keys: en });
      expect({ ns, lang: "ru", keys: keysOf(resources.ru[ns]).sort() }).toEqual({ ns, lang: "ru", keys: en });
    }
  });

  it("translate every domain error code in every language", () => {
    for (const lang of ["fa", "en", "ru"] as const) {
      for (const code of ERROR_CODES) expect(resources[lang].errors[code], `${lang}:${code}`).toBeTruthy();
    }
  });

  it("have no empty strings", () => {
    for (const lang of ["fa", "en", "ru"] as const) {
      for (const [ns, tree] of Object.entries(resources[lang])) {
        const empty = keysOf(tree).filter(
          (k) => k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], tree) === "",
        );
        expect(empty, `${lang}/${ns}`).toEqual([]);
      }
    }
  });
});
