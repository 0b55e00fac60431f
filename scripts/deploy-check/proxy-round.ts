import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { proxyClient } from "./client.js";
import { caddyConfig, DOC_HOST, nginxConfig, type Site } from "./doc-configs.js";
import {
  type BotWorld,
  badMarks,
  fakeCalls,
  helpAnswers,
  postUpdate,
  sendMarkedMessages,
  storedCounts,
  updatesPerInstance,
} from "./probes-bot.js";
import {
  clientAddressCounted,
  eventsAcrossInstances,
  health,
  largeUpload,
  metricsRefused,
  miniAppPage,
  signIn,
} from "./probes-http.js";
import { type Service, startService, waitFor } from "./processes.js";

/**
 * One reverse proxy (nginx or Caddy) with the doc's configuration in front of the
 * two running instances, and every check through it over HTTPS. The last check
 * stops an instance with SIGTERM mid-traffic; the caller starts it again.
 */
export type Check = {
  name: string;
  ok: boolean;
  detail: string;
  /** Its failure is in the proxy's answers only: nothing was lost or stored twice. */
  answersOnly?: boolean;
};

export interface RoundDeps {
  proxy: "nginx" | "caddy";
  program: string;
  /** As the program prints it (`caddy version`, `nginx -v`). */
  version: string | null;
  site: Site;
  dir: string;
  ports: number[];
  instances: Service[];
  world: Omit<BotWorld, "client">;
  botToken: string;
  adminTelegramId: number;
  ticketIds: string[];
  /** Tells marks of this round apart from the others' ("n" → #n12#). */
  markLetter: string;
  /** First Telegram id of this round's new people. */
  firstNewId: number;
}

function startProxy(d: RoundDeps): Service {
  const logFile = join(d.dir, `${d.proxy}.log`);
  if (d.proxy === "nginx") {
    const file = join(d.dir, "nginx.conf");
    writeFileSync(file, nginxConfig(d.site, d.dir));
    return startService("nginx", [d.program, "-p", d.dir, "-c", file, "-g", "daemon off;"], { logFile });
  }
  const file = join(d.dir, "Caddyfile");
  writeFileSync(file, caddyConfig(d.site));
  // Caddy keeps its state under HOME/XDG folders: this run's own.
  const env = { PATH: process.env.PATH ?? "", HOME: d.dir, XDG_DATA_HOME: d.dir, XDG_CONFIG_HOME: d.dir };
  return startService("caddy", [d.program, "run", "--config", file, "--adapter", "caddyfile"], {
    env,
    logFile,
  });
}

export async function proxyRound(d: RoundDeps): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, r: { ok: boolean; detail: string }) => {
    checks.push({ name: `${d.proxy}: ${name}`, ...r });
    console.log(`  ${r.ok ? "pass" : "FAIL"}  ${name}: ${r.detail}`);
  };
  const proxy = startProxy(d);
  const client = proxyClient({ host: DOC_HOST, port: d.site.tlsPort, caFile: d.site.cert });
  const w: BotWorld = { ...d.world, client };
  let mark = 0;
  const marks = (n: number) => Array.from({ length: n }, () => `#${d.markLetter}${++mark}#`);
  try {
    await waitFor(proxy, async () => (await health(client)).ok, 30_000);
    check("GET /healthz over HTTPS", await health(client));
    check("the Mini App at /", await miniAppPage(client));
    check("/metrics refused at the proxy", await metricsRefused(client, d.ports[0]));
    const wrong = await postUpdate(w, { update_id: 1, message: {} }, "not-the-secret-0123456789");
    check("webhook without the secret header refused", { ok: wrong === 401, detail: `${wrong}` });
    // Where each instance told "Telegram" to send updates: through this proxy, with the secret.
    const hook = `https://${DOC_HOST}:${d.site.tlsPort}/telegram/webhook`;
    const set = (await fakeCalls(w.fake)).filter((c) => c.method === "setWebhook");
    check("the webhook each instance set is PUBLIC_URL/telegram/webhook with the secret", {
      ok: set.length >= 2 && set.every((c) => c.url === hook && c.secretToken === w.secret),
      detail: `${set.length} setWebhook calls: ${[...new Set(set.map((c) => c.url))].join(", ")}`,
    });

    const before = await updatesPerInstance(d.ports);
    const batch = marks(40);
    const sent = await sendMarkedMessages(w, batch, 4);
    const help = await helpAnswers(w, d.firstNewId, 6);
    const after = await updatesPerInstance(d.ports);
    const spread = after.map((n, i) => n - before[i]);
    const bad = badMarks(await storedCounts(d.world.db, batch));
    check("40 webhook updates: each acknowledged and stored once", {
      ok: sent.notOk.length === 0 && bad.length === 0,
      detail: `non-200 answers ${sent.notOk.length} ${JSON.stringify(sent.notOk.slice(0, 5))}, not stored once ${bad.length} ${JSON.stringify(bad.slice(0, 3))}`,
    });
    check("/help from 6 new people: one answer each at the fake Bot API", {
      ok: help.statuses.every((s) => s === 200) && help.answers.every((a) => a === 1),
      detail: `statuses ${help.statuses.join(",")}; answers per chat ${help.answers.join(",")}`,
    });
    check("updates spread over both instances", {
      ok: spread.every((n) => n > 0),
      detail: `handled per instance: ${spread.join(" / ")}`,
    });

    const token = await signIn(client, d.botToken, d.adminTelegramId);
    check("an SSE stream through the proxy gets a write made on the other instance", {
      ...(await eventsAcrossInstances(client, d.ports, token, d.ticketIds[0])),
    });
    // Caddy before 2.7 answers an over-long body with 502, not 413 (caddyserver/caddy#5652).
    const oldCaddy = d.proxy === "caddy" && /^v?2\.[0-6]\./.test(d.version ?? "");
    check(
      `18 MB upload passes, 26 MB refused (413${oldCaddy ? `; 502 from Caddy ${d.version}` : ""})`,
      await largeUpload(client, d.world.db, token, d.ticketIds[1], oldCaddy ? [413, 502] : [413]),
    );
    check("TRUST_PROXY counts the address the proxy saw", {
      ...(await clientAddressCounted(client, d.world.db, token, d.ticketIds[0])),
    });
    checks.push(...(await killMidTraffic(d, w, marks(60), client, token)));
  } catch (err) {
    check("round finished", { ok: false, detail: String(err) });
  } finally {
    client.close();
    const stopped = await proxy.stop();
    console.log(`  ${d.proxy} stopped (exit ${stopped.code}); its log: ${join(d.dir, `${d.proxy}.log`)}`);
  }
  return checks;
}

/**
 * 60 updates, 4 at a time; after 15 are acknowledged instance 1 gets SIGTERM (an
 * event stream held open through the proxy, as Mini Apps keep them). Every update
 * must get a 200 from the proxy (it retries the other instance) and be stored once.
 */
async function killMidTraffic(
  d: RoundDeps,
  w: BotWorld,
  batch: string[],
  client: ReturnType<typeof proxyClient>,
  token: string,
): Promise<Check[]> {
  const stream = await client.openEvents(`/api/events?access_token=${encodeURIComponent(token)}`);
  let stopping: Promise<{ ms: number; code: number | null }> | null = null;
  const sent = await sendMarkedMessages(w, batch, 4, (acked) => {
    if (acked === 15 && !stopping) stopping = d.instances[0].stop();
  });
  const stopped = await (stopping ?? d.instances[0].stop());
  stream.close();
  // An update still without a 200 after a minute is not counted lost: Telegram would go on.
  const bad = badMarks(await storedCounts(d.world.db, batch)).filter(([m]) => !sent.unanswered.includes(m));
  const results: Check[] = [
    {
      name: `${d.proxy}: SIGTERM to one instance mid-traffic loses no update (re-sent as Telegram does)`,
      ok: bad.length === 0,
      detail: `not stored once ${bad.length} ${JSON.stringify(bad.slice(0, 3))}`,
    },
    {
      name: `${d.proxy}: ... and each update got its 200 within a minute of re-sending`,
      ok: sent.unanswered.length === 0,
      detail: `still without a 200: ${sent.unanswered.length} ${JSON.stringify(sent.unanswered.slice(0, 3))}`,
      answersOnly: true,
    },
    {
      name: `${d.proxy}: ... and the proxy answered every update 200 (it tried the other instance)`,
      ok: sent.notOk.length === 0,
      detail: `non-200 answers ${sent.notOk.length} ${JSON.stringify(sent.notOk.slice(0, 5))}`,
      answersOnly: true,
    },
    {
      name: `${d.proxy}: the instance stops cleanly on SIGTERM with a stream open`,
      ok: stopped.code === 0 && stopped.ms < 10_000,
      detail: `exit ${stopped.code} after ${(stopped.ms / 1000).toFixed(1)} s`,
    },
  ];
  for (const r of results) console.log(`  ${r.ok ? "pass" : "FAIL"}  ${r.name.split(": ")[1]}: ${r.detail}`);
  return results;
}
