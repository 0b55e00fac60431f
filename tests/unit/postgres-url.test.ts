import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { connectPostgres, withDatabase } from "../../drizzle/client.js";

const url = process.env.TEST_DATABASE_URL;
const socketDir = "/var/run/postgresql";
const socketReady = Boolean(url) && existsSync(`${socketDir}/.s.PGSQL.5432`);

describe("DATABASE_URL", () => {
  it("names another database on the same server, keeping the query", () => {
    expect(withDatabase("postgres://u:p@db:5433/app?sslmode=require", "other")).toBe(
      "postgres://u:p@db:5433/other?sslmode=require",
    );
    // libpq's empty host, with the socket folder in ?host=.
    expect(withDatabase("postgresql://helpdesk@/app?host=/run/postgresql", "other")).toBe(
      "postgresql://helpdesk@localhost/other?host=/run/postgresql",
    );
  });

  // Needs a local PostgreSQL with its socket in the Debian place (CI and these machines have one).
  it.skipIf(!socketReady)(
    "reaches PostgreSQL through a Unix socket given as ?host=, as libpq does",
    async () => {
      const viaSocket = new URL(url as string);
      viaSocket.searchParams.set("host", socketDir);
      const sql = connectPostgres(viaSocket.toString(), { max: 1 });
      try {
        const [row] = await sql`select client_addr from pg_stat_activity where pid = pg_backend_pid()`;
        // A socket connection has no client address; a TCP one would show 127.0.0.1.
        expect(row.client_addr).toBeNull();
      } finally {
        await sql.end();
      }
    },
  );
});
