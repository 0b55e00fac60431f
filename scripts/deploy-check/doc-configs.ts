import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The configurations docs/DEPLOYMENT.md gives (systemd unit, nginx, Caddy), read
 * from its code blocks so the check runs exactly what the page says: only host
 * names, ports, paths and certificate files are substituted. A change to the page
 * is a change to what `npm run deploy:check` runs.
 */
export const root = fileURLToPath(new URL("../../", import.meta.url));
const DOC = `${root}docs/DEPLOYMENT.md`;

/** The one fenced block of `language` on the page; throws when it is missing or not alone. */
export function docBlock(language: string, text = readFileSync(DOC, "utf8")): string {
  const blocks = [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === language);
  if (blocks.length !== 1)
    throw new Error(`docs/DEPLOYMENT.md: expected one \`\`\`${language} block, found ${blocks.length}`);
  return blocks[0][2];
}

/** Replaces each `from` (it must occur) with `to`: a doc edit that drops a substituted word fails loudly. */
function substitute(text: string, pairs: Array<[string | RegExp, string]>, what: string): string {
  let out = text;
  for (const [from, to] of pairs) {
    const found = typeof from === "string" ? out.includes(from) : from.test(out);
    if (!found) throw new Error(`${what}: "${String(from)}" not found in the doc's block`);
    out = typeof from === "string" ? out.split(from).join(to) : out.replace(from, to);
  }
  return out;
}

export interface Site {
  /** The host name of the doc's examples, kept (the client sends it as SNI and Host). */
  host: string;
  tlsPort: number;
  /** Caddy's plain-HTTP port (it would take 80 otherwise). */
  httpPort: number;
  /** Instance n listens on basePort + n (the doc's 3001, 3002 → basePort 3000). */
  basePort: number;
  cert: string;
  key: string;
}

export const DOC_HOST = "desk.example.org";

/** The nginx block with our ports and certificate, inside the http {} a main config gives it. */
export function nginxConfig(site: Site, dir: string): string {
  const server = substitute(
    docBlock("nginx"),
    [
      ["127.0.0.1:3001", `127.0.0.1:${site.basePort + 1}`],
      ["127.0.0.1:3002", `127.0.0.1:${site.basePort + 2}`],
      ["listen 443 ssl", `listen 127.0.0.1:${site.tlsPort} ssl`],
      [`/etc/letsencrypt/live/${DOC_HOST}/fullchain.pem`, site.cert],
      [`/etc/letsencrypt/live/${DOC_HOST}/privkey.pem`, site.key],
    ],
    "nginx",
  );
  // The main context a distribution's nginx.conf gives, with every path private to this run.
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  log_format upstream '$request_method $uri $status upstream=$upstream_addr:$upstream_status';
  access_log ${dir}/access.log upstream;
${server}
}
`;
}

/** The Caddyfile with our ports and certificate; global options keep Caddy off ports 80/2019 and ACME. */
export function caddyConfig(site: Site): string {
  const body = substitute(
    docBlock("caddy"),
    [
      [/127\.0\.0\.1:3001/g, `127.0.0.1:${site.basePort + 1}`],
      [/127\.0\.0\.1:3002/g, `127.0.0.1:${site.basePort + 2}`],
      // The site address gets our port, and the certificate the doc leaves to Let's Encrypt is ours.
      [`${DOC_HOST} {\n`, `${DOC_HOST}:${site.tlsPort} {\n    tls ${site.cert} ${site.key}\n`],
    ],
    "caddy",
  );
  return `{
    admin off
    http_port ${site.httpPort}
    auto_https disable_redirects
    skip_install_trust
}

${body}`;
}

/** The unit file with the install path (and node's) replaced; ports stay as the doc writes them (see instanceEnv). */
export function systemdUnit(workdir: string): string {
  return substitute(
    docBlock("ini"),
    [
      [/\/opt\/helpdesk/g, workdir],
      ["ExecStart=/usr/bin/node ", `ExecStart=${process.execPath} `],
    ],
    "systemd unit",
  );
}

/** The unit's facts the check runs an instance with: ExecStart, WorkingDirectory, Environment= pairs. */
export function unitFacts(unit: string) {
  const line = (key: string) => {
    const m = new RegExp(`^${key}=(.*)$`, "m").exec(unit);
    if (!m) throw new Error(`systemd unit: no ${key}=`);
    return m[1].trim();
  };
  return {
    execStart: line("ExecStart").split(/\s+/),
    workingDirectory: line("WorkingDirectory"),
    environment: line("Environment")
      .split(/\s+/)
      .map((pair) => pair.split("=") as [string, string]),
  };
}

/** Instance `n`'s environment as systemd builds it: Environment= (with %i, our ports), then the EnvironmentFile. */
export function instanceEnv(
  facts: ReturnType<typeof unitFacts>,
  envFile: Record<string, string>,
  n: number,
  basePort: number,
): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  for (const [key, value] of facts.environment) {
    // The doc's "300%i" is port 3000 + i; ours is basePort + i.
    env[key] = key === "PORT" && value === "300%i" ? String(basePort + n) : value.replaceAll("%i", String(n));
  }
  // systemd: settings from EnvironmentFile= override Environment=.
  return { ...env, ...envFile };
}

/** The variables the doc says /etc/helpdesk/env holds: every one must be named on the page. */
export function checkEnvFileNames(names: string[], text = readFileSync(DOC, "utf8")): string[] {
  const section = text.slice(text.indexOf("`/etc/helpdesk/env`"), text.indexOf("systemctl enable"));
  return names.filter((n) => !section.includes(n));
}
