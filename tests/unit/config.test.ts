import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { defaultPoolSize } from "../../drizzle/client.js";
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

  it("takes a PostgreSQL pool size, else leaves it to the machine (2 × CPUs + 1, at most 10)", () => {
    expect(parseConfig({ DATABASE_POOL_SIZE: " 7 " }).DATABASE_POOL_SIZE).toBe(7);
    expect(parseConfig({ DATABASE_POOL_SIZE: "" }).DATABASE_POOL_SIZE).toBeUndefined();
    for (const bad of ["0", "3.5", "many"])
      expect(() => parseConfig({ DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
    expect(defaultPoolSize()).toBe(Math.min(2 * availableParallelism() + 1, 10));
  });

  it("is frozen", () => {
    expect(Object.isFrozen(parseConfig({}))).toBe(true);
  });
});
