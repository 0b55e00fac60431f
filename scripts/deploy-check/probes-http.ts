import { sql } from "drizzle-orm";
import type { Db } from "../../drizzle/client.js";
import { signInitData } from "../../tests/helpers/init-data.js";
import { multipart, type ProxyClient } from "./client.js";

/**
 * The Mini App's side through the proxy: health, the built Mini App, sign-in with
 * signed initData, a large upload, the client address the product counts, the
 * metrics the proxy must refuse, and live events that cross instances.
 */
const MB = 1024 * 1024;

export async function health(client: ProxyClient) {
  const res = await client.request("GET", "/healthz");
  return {
    ok: res.status === 200 && JSON.parse(res.text).status === "ok",
    detail: `${res.status} ${res.text}`,
  };
}

export async function miniAppPage(client: ProxyClient) {
  const res = await client.request("GET", "/");
  const html = String(res.headers["content-type"]).includes("text/html") && res.text.includes("<div");
  return { ok: res.status === 200 && html, detail: `${res.status} ${res.headers["content-type"]}` };
}

/** Refused at the proxy: 403 without the product's Prometheus text; the instance itself does serve it. */
export async function metricsRefused(client: ProxyClient, instancePort: number) {
  const res = await client.request("GET", "/metrics");
  const direct = await fetch(`http://127.0.0.1:${instancePort}/metrics`).then((r) => r.status);
  const ok = res.status === 403 && !res.text.includes("helpdesk_") && direct === 200;
  return { ok, detail: `proxy ${res.status}, instance on loopback ${direct}` };
}

/** Signs in with the Mini App's initData through the proxy; the access token. */
export async function signIn(client: ProxyClient, botToken: string, telegramId: number): Promise<string> {
  const initData = signInitData({ user: { id: telegramId, first_name: "Deploy check" } }, botToken);
  const res = await client.request("POST", "/api/auth/telegram", {
    headers: { authorization: `tma ${initData}` },
  });
  if (res.status !== 200) throw new Error(`sign-in through the proxy: ${res.status} ${res.text}`);
  return (JSON.parse(res.text) as { accessToken: string }).accessToken;
}

const pdf = (size: number) => Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(size - 9, 0x20)]);

/**
 * A reply with two 9 MB PDFs (18 MB: above nginx's default 1 MB body, within the
 * doc's 25 MB) must pass and keep both files; a 26 MB body must be refused (413;
 * `refusedWith` adds what a proxy version is known to answer instead) and not kept.
 */
export async function largeUpload(
  client: ProxyClient,
  db: Db,
  token: string,
  ticketId: string,
  refusedWith: Array<number | string> = [413],
) {
  const files = [1, 2].map((i) => ({ name: `scan-${i}.pdf`, type: "application/pdf", bytes: pdf(9 * MB) }));
  const form = multipart({ body: "Two scans, 18 MB" }, files);
  const res = await client.request("POST", `/api/tickets/${ticketId}/messages`, {
    headers: { authorization: `Bearer ${token}`, "content-type": form.contentType },
    body: form.body,
  });
  const sizes = async (pattern: string) =>
    (
      (await db.execute(
        sql`select size_bytes from attachments where file_name like ${pattern} and ticket_id = ${ticketId}`,
      )) as unknown as Array<{ size_bytes: number }>
    ).map((r) => Number(r.size_bytes));
  const kept = (await sizes("scan-%")).filter((size) => size === 9 * MB).length;
  const big = multipart({ body: "Too big" }, [
    { name: "big.pdf", type: "application/pdf", bytes: pdf(26 * MB) },
  ]);
  const refused = await client
    .request("POST", `/api/tickets/${ticketId}/messages`, {
      headers: { authorization: `Bearer ${token}`, "content-type": big.contentType },
      body: big.body,
    })
    .then((r) => r.status)
    .catch((err: Error) => `connection ${err.message}`);
  const bigKept = (await sizes("big.pdf")).length;
  return {
    ok: res.status === 201 && kept === 2 && refusedWith.includes(refused) && bigKept === 0,
    detail: `18 MB → ${res.status}, ${kept}/2 files kept; 26 MB → ${refused}, ${bigKept} kept`,
  };
}

/**
 * TRUST_PROXY: a write from 127.0.0.2 carrying a forged X-Forwarded-For must be
 * counted against 127.0.0.2 (the address the proxy saw), not the forged one and
 * not the proxy's own 127.0.0.1 (rate_buckets keys end with the address).
 */
export async function clientAddressCounted(client: ProxyClient, db: Db, token: string, ticketId: string) {
  const res = await client.request("POST", `/api/tickets/${ticketId}/messages`, {
    localAddress: "127.0.0.2",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "x-forwarded-for": "203.0.113.9",
    },
    body: JSON.stringify({ body: "From another address" }),
  });
  const keys = (
    (await db.execute(
      sql`select key from rate_buckets where key like 'writes-address:%'`,
    )) as unknown as Array<{ key: string }>
  ).map((r) => r.key.split(":").pop());
  const ok = res.status === 201 && keys.includes("127.0.0.2") && !keys.includes("203.0.113.9");
  return { ok, detail: `write ${res.status}; addresses counted: ${[...new Set(keys)].join(", ")}` };
}

/** Which instance (index into ports) holds an open event stream now, by its helpdesk_sse_clients gauge. */
export async function streamHolder(ports: number[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const open = await Promise.all(
      ports.map((p) =>
        fetch(`http://127.0.0.1:${p}/metrics`)
          .then((r) => r.text())
          .then((t) => Number(/^helpdesk_sse_clients (\d+)/m.exec(t)?.[1] ?? 0))
          .catch(() => 0),
      ),
    );
    const holder = open.findIndex((n) => n > 0);
    if (holder >= 0) return holder;
    await new Promise((r) => setTimeout(r, 100));
  }
  return -1;
}

/**
 * An event stream opened through the proxy receives the change a write made on
 * the OTHER instance (written to it directly, so which one is certain).
 */
export async function eventsAcrossInstances(
  client: ProxyClient,
  ports: number[],
  token: string,
  ticketId: string,
) {
  const stream = await client.openEvents(`/api/events?access_token=${encodeURIComponent(token)}`);
  try {
    const ready = await stream.waitFor((e) => e.event === "ready", 10_000);
    const holder = await streamHolder(ports);
    if (!ready || holder < 0)
      return { ok: false, detail: `stream ${stream.status}, ready ${!!ready}, holder ${holder}` };
    const other = ports[1 - holder];
    const write = await fetch(`http://127.0.0.1:${other}/api/tickets/${ticketId}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ body: "Written on the other instance" }),
    });
    const t0 = performance.now();
    const event = await stream.waitFor((e) => e.data.includes(ticketId), 10_000);
    const ms = Math.round(performance.now() - t0);
    return {
      ok: write.status === 201 && event !== null,
      detail: `stream on :${ports[holder]}, write ${write.status} on :${other}, event ${event ? `after ${ms} ms` : "NOT received in 10 s"}`,
    };
  } finally {
    stream.close();
  }
}
