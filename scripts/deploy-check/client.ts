import { readFileSync } from "node:fs";
import { Agent, request as httpsRequest } from "node:https";

/**
 * An HTTPS client for the proxy under test, as Telegram and the Mini App reach it:
 * TLS to the site's host name (SNI and Host), trusting only the run's self-signed
 * certificate. Built on node:https because fetch takes no custom CA without undici.
 */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export interface SseStream {
  /** Each event's name and data as received so far. */
  events: Array<{ event: string; data: string }>;
  /** Resolves with the first event that matches, or null after `ms`. */
  waitFor(match: (e: { event: string; data: string }) => boolean, ms: number): Promise<unknown>;
  close(): void;
}

export function proxyClient(opts: { host: string; port: number; caFile: string }) {
  const ca = readFileSync(opts.caFile);
  const agent = new Agent({ ca, keepAlive: true, maxSockets: 16, servername: opts.host });
  const base = {
    host: "127.0.0.1",
    port: opts.port,
    servername: opts.host,
    ca,
  };
  const hostHeader = `${opts.host}:${opts.port}`;

  function request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Buffer | string; localAddress?: string } = {},
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          ...base,
          agent,
          method,
          path,
          headers: { host: hostHeader, ...init.headers },
          // A client address other than the proxy's own (127.0.0.1), to tell them apart.
          ...(init.localAddress ? { localAddress: init.localAddress } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const body = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(init.body);
    });
  }

  /** GET an event stream (its own connection, held open) and collect its events. */
  function openEvents(path: string): Promise<SseStream & { status: number }> {
    return new Promise((resolve, reject) => {
      const events: Array<{ event: string; data: string }> = [];
      const waiters = new Set<() => void>();
      const req = httpsRequest(
        {
          ...base,
          agent: false,
          method: "GET",
          path,
          headers: { host: hostHeader, accept: "text/event-stream" },
        },
        (res) => {
          let buffer = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buffer += chunk;
            for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const field = (name: string) =>
                block
                  .split("\n")
                  .filter((l) => l.startsWith(`${name}:`))
                  .map((l) => l.slice(name.length + 1).trim())
                  .join("\n");
              events.push({ event: field("event") || "message", data: field("data") });
              for (const w of waiters) w();
            }
          });
          res.on("error", () => {});
          resolve({
            status: res.statusCode ?? 0,
            events,
            waitFor(match, ms) {
              return new Promise((done) => {
                const check = () => {
                  const hit = events.find(match);
                  if (!hit) return;
                  waiters.delete(check);
                  clearTimeout(timer);
                  done(hit);
                };
                const timer = setTimeout(() => {
                  waiters.delete(check);
                  done(null);
                }, ms);
                waiters.add(check);
                check();
              });
            },
            close: () => req.destroy(),
          });
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  return { request, openEvents, close: () => agent.destroy() };
}

export type ProxyClient = ReturnType<typeof proxyClient>;

/** A multipart/form-data body (what a browser's FormData sends) with text fields and files. */
export function multipart(
  fields: Record<string, string>,
  files: Array<{ name: string; type: string; bytes: Buffer }>,
) {
  const boundary = `----deploycheck${Date.now().toString(16)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="${f.name}"\r\ncontent-type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
