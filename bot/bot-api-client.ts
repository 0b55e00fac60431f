import { type Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { type Telegram, TelegramError } from "telegraf";

/**
 * Bot API calls with a JSON body go out through node:http directly instead of
 * Telegraf's node-fetch: the same request and the same answers and errors, at
 * about half the CPU per call (node-fetch's Request, Headers and body streams
 * cost ~450 µs a call on a small VM, a plain request ~240 µs), and every update
 * makes at least one call. Calls that upload files keep Telegraf's client, which
 * builds their multipart bodies. Connections are Telegraf's: its keep-alive agent
 * for https, Node's global (keep-alive) agent for an http API root.
 */
type CallApi = Telegram["callApi"];

/**
 * Makes this Telegram instance send JSON calls through node:http, each with a
 * deadline: the caller's signal, else `timeoutMs` (a timer: an AbortSignal per
 * call, with its listeners on the request, cost more than the rest of the call's setup).
 */
export function useDirectBotApi(telegram: Telegram, timeoutMs: number): void {
  const viaTelegraf = telegram.callApi.bind(telegram) as CallApi;
  const { apiRoot, apiMode, testEnv, agent } = telegram.options;
  const base = `./${apiMode}${telegram.token}${testEnv ? "/test" : ""}/`;
  telegram.callApi = ((
    method: string,
    payload: Record<string, unknown>,
    opts: { signal?: AbortSignal } = {},
  ) => {
    // Telegraf answering inside a webhook's response (given only by its own webhook server) stays Telegraf's.
    const inWebhook = (telegram as unknown as { response?: unknown }).response !== undefined;
    if (includesMedia(payload) || inWebhook || !telegram.token) {
      // Telegraf types the option with the abort-controller polyfill; Node's own signal works.
      const signal = opts.signal ?? AbortSignal.timeout(timeoutMs);
      return viaTelegraf(method as never, payload as never, { signal } as never);
    }
    const url = new URL(`${base}${method}`, apiRoot);
    return post(url, JSON.stringify(payload, dropNull), agent, opts.signal ?? timeoutMs).then(
      ({ status, statusText, body }) => {
        if (status >= 500)
          throw new TelegramError({ error_code: status, description: statusText }, { method, payload });
        const data = parseJson(body, url);
        if (!data.ok) throw new TelegramError(data, { method, payload });
        return data.result;
      },
    );
  }) as CallApi;
}

/** Telegraf leaves out null and undefined fields of a JSON payload. */
export const dropNull = (_key: string, value: unknown) => (value == null ? undefined : value);

/** Telegraf's test for a payload that carries files (InputFile with source or url). */
function includesMedia(payload: Record<string, unknown>): boolean {
  const isFile = (v: unknown) =>
    typeof v === "object" &&
    v !== null &&
    Boolean((v as { source?: unknown }).source || (v as { url?: unknown }).url);
  return Object.entries(payload).some(([key, value]) => {
    if (key === "link_preview_options") return false;
    if (Array.isArray(value))
      return value.some((item) => isFile((item as { media?: unknown } | null)?.media));
    return isFile(value) || isFile((value as { media?: unknown } | null)?.media);
  });
}

type Answer = { status: number; statusText: string; body: string };

function post(url: URL, body: string, agent: Agent | undefined, deadline: AbortSignal | number) {
  return new Promise<Answer>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle =
      <T>(how: (value: T) => void) =>
      (value: T) => {
        clearTimeout(timer);
        how(value);
      };
    const ok = settle(resolve);
    const fail = settle(reject);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: "POST",
        agent,
        signal: typeof deadline === "number" ? undefined : deadline,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("aborted", () => fail(new Error("The Bot API closed the connection mid-answer")));
        res.on("end", () =>
          ok({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    if (typeof deadline === "number") {
      const aborted = Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
      timer = setTimeout(() => req.destroy(aborted), deadline);
    }
    // As Telegraf does for node-fetch's errors: the token is in the URL, never in a log.
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.name === "AbortError") return fail(err);
      fail(
        Object.assign(new Error(redact(`request to ${url} failed, reason: ${err.message}`)), {
          code: err.code,
        }),
      );
    });
    req.end(body);
  });
}

function parseJson(body: string, url: URL) {
  try {
    return JSON.parse(body) as { ok: boolean; result?: unknown; error_code: number; description: string };
  } catch (err) {
    throw new Error(redact(`invalid json response body at ${url} reason: ${(err as Error).message}`));
  }
}

const redact = (message: string) => message.replace(/\/(bot|user)(\d+):[^/]+\//, "/$1$2:[REDACTED]/");
