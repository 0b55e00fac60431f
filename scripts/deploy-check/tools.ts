import { run, which } from "./processes.js";

/**
 * The outside programs the check uses and their versions (printed with the
 * results, and recorded in docs/DEPLOYMENT.md); null when one is not installed.
 */
export function versions(): Record<string, string | null> {
  const first = (program: string, args: string[]) => {
    const path = which(program);
    if (!path) return null;
    const out = run(path, args).output.trim().split("\n")[0];
    return out || "(version unknown)";
  };
  return {
    node: process.version,
    postgresql: first("psql", ["--version"]),
    nginx: first("nginx", ["-v"]),
    caddy: first("caddy", ["version"]),
    "systemd-analyze": first("systemd-analyze", ["--version"]),
    openssl: first("openssl", ["version"]),
  };
}

/**
 * `systemd-analyze verify` of the unit (an instance name of the template). It
 * exits 0 on warnings such as an unknown key, so any line about the file fails
 * the check too. null when systemd-analyze is not installed.
 */
export function verifyUnit(file: string): { ok: boolean; detail: string } | null {
  const program = which("systemd-analyze");
  if (!program) return null;
  const result = run(program, ["verify", file]);
  const name = file.split("/").pop() ?? file;
  const complaints = result.output
    .split("\n")
    .filter((l) => l.includes(name) || /not executable|Unknown|Failed/.test(l));
  return {
    ok: result.ok && complaints.length === 0,
    detail: complaints.length ? complaints.join("; ") : "no warnings",
  };
}
