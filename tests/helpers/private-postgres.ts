import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A PostgreSQL server of the test's own (initdb in a temp folder), so a test can
 * restart it without disturbing the shared server other test files use. Needs
 * Debian's server binaries; when the process runs as root, the server runs as the
 * postgres user, as PostgreSQL refuses root.
 */
const BIN = existsSync("/usr/lib/postgresql")
  ? readdirSync("/usr/lib/postgresql")
      .map((v) => `/usr/lib/postgresql/${v}/bin`)
      .find((dir) => existsSync(`${dir}/initdb`))
  : undefined;
const asRoot = process.getuid?.() === 0;
export const privatePostgresAvailable = Boolean(BIN) && (!asRoot || existsSync("/usr/sbin/runuser"));

function run(tool: string, args: string[]) {
  const [cmd, full] = asRoot
    ? ["/usr/sbin/runuser", ["-u", "postgres", "--", `${BIN}/${tool}`, ...args]]
    : [`${BIN}/${tool}`, args];
  execFileSync(cmd, full, { stdio: "pipe" });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres() {
  const dir = mkdtempSync(join(tmpdir(), "helpdesk-pg-"));
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  else chownSync(dir, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  const data = join(dir, "data");
  const port = await freePort();
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) =>
    run("pg_ctl", ["-D", data, "-o", options, "-w", "-l", join(dir, "log"), ...args]);
  ctl("start");
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /** A real restart: every connection is cut, the server is down for a moment. */
    restart: () => ctl("-m", "fast", "restart"),
    stop() {
      try {
        ctl("-m", "immediate", "stop");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
