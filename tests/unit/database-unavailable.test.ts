import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connectPostgres, createDb } from "../../drizzle/client.js";
import { isDatabaseUnavailable } from "../../server/domain/index.js";

/** The error a promise rejects with (fails the test if it resolves). */
async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a failure");
}

/**
 * What the bot hands back to Telegram (a 503, a polling retry) depends on telling a
 * database that is away from work that failed: checked on the drivers' real errors.
 */
describe("isDatabaseUnavailable", () => {
  it("is true for a closed PGlite, through drizzle's wrapper", async () => {
    const handle = await createDb({ DATA_DIR: "" });
    await handle.db.execute(sql`select 1`);
    await handle.close();
    expect(isDatabaseUnavailable(await errorOf(handle.db.execute(sql`select 1`)))).toBe(true);
  });

  it("is false for work the database refused: a bad statement, a violated constraint", async () => {
    const handle = await createDb({ DATA_DIR: "" });
    try {
      expect(isDatabaseUnavailable(await errorOf(handle.db.execute(sql`select * from no_such_table`)))).toBe(
        false,
      );
      await handle.db.execute(sql`create temp table t (id int primary key)`);
      await handle.db.execute(sql`insert into t values (1)`);
      expect(isDatabaseUnavailable(await errorOf(handle.db.execute(sql`insert into t values (1)`)))).toBe(
        false,
      );
      expect(isDatabaseUnavailable(new Error("something else"))).toBe(false);
    } finally {
      await handle.close();
    }
  });

  it("is true for a PostgreSQL server nobody listens for", async () => {
    // Port 1 on loopback: refused at once.
    const client = connectPostgres("postgres://postgres@127.0.0.1:1/none", { max: 1 });
    try {
      expect(isDatabaseUnavailable(await errorOf(client`select 1`))).toBe(true);
    } finally {
      await client.end({ timeout: 0 });
    }
  });

  it("is true for the server's own shutdown codes and false for a unique violation", () => {
    expect(isDatabaseUnavailable({ code: "57P01" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "08006" })).toBe(true);
    expect(
      isDatabaseUnavailable(Object.assign(new Error("x"), { cause: { code: "CONNECTION_CLOSED" } })),
    ).toBe(true);
    expect(isDatabaseUnavailable({ code: "23505" })).toBe(false);
  });
});
