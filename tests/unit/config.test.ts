import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../server/config.js";

describe("configuration", () => {
  it("starts with no configuration at all: PGlite in ./data, port 3000, Persian", () => {
    const c = parseConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.DATA_DIR).toBe("./data");
    expect(c.PORT).toBe(3000);
    expect(c.DEFAULT_LANGUAGE).toBe("fa");
    expect(c.TIME_ZONE).toBe("Asia/Tehran");
    expect(c.BOOTSTRAP_ADMIN_IDS).toEqual([]);
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(c.TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
  });

  it("names each bad variable and what it expects", () => {
    const attempt = () =>
      parseConfig({
        PORT: "eighty",
        BOT_TOKEN: "nope",
        BOOTSTRAP_ADMIN_IDS: "12,abc",
        TIME_ZONE: "Mars/Base",
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const msg = (e as Error).message;
      for (const name of ["PORT", "BOT_TOKEN", "BOOTSTRAP_ADMIN_IDS", "TIME_ZONE"])
        expect(msg).toContain(name);
      expect(msg).toContain("@BotFather");
    }
  });

  it("treats empty strings from .env files as unset and parses id lists", () => {
    const c = parseConfig({ DATABASE_URL: "", PUBLIC_URL: " ", BOOTSTRAP_ADMIN_IDS: "11, 22 33" });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.PUBLIC_URL).toBeUndefined();
    expect(c.BOOTSTRAP_ADMIN_IDS).toEqual([11, 22, 33]);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(parseConfig({}))).toBe(true);
  });
});
