/**
 * The load's two kinds of client, each retrying as its real counterpart does:
 * Telegram re-sends an update until the webhook answers 200 (a refused connection,
 * a 5xx or the product's 503 "retry later" all mean "not acknowledged"), and the
 * Mini App repeats a write with the same Idempotency-Key until it gets an answer.
 */
import type { ChildProcess } from "node:child_process";
import { signInitData } from "../tests/helpers/init-data.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Timed {
  kind: string;
  ms: number;
}

export interface Endpoint {
  url: string;
  /** Whether to keep trying (false once the run gives up on draining). */
  alive: () => boolean;
  /** Each attempt's answer time, for the load's percentiles. */
  timed?: (t: Timed) => void;
}

/** Posts one update until acknowledged; the bot's webhook answer is handed to the fake Bot API to make. */
export async function deliverUpdate(
  ep: Endpoint,
  secret: string,
  update: { update_id: number },
  fake: ChildProcess,
): Promise<{ attempts: number; acked: boolean }> {
  for (let attempts = 1; ep.alive(); attempts++) {
    const t0 = performance.now();
    const res = await fetch(`${ep.url}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    }).catch(() => null);
    const body = res ? await res.text().catch(() => null) : null;
    if (res?.status === 200 && body !== null) {
      ep.timed?.({ kind: "bot update", ms: performance.now() - t0 });
      if (res.headers.get("content-type")?.includes("application/json")) fake.send({ answers: [body] });
      return { attempts, acked: true };
    }
    // Telegram backs off between tries; a short pause keeps a dead port from spinning.
    await sleep(200 + Math.min(attempts, 10) * 100);
  }
  return { attempts: 0, acked: false };
}

/** One Mini App user: signs in with initData, then calls the API with its access token. */
export function apiClient(ep: Endpoint, botToken: string, telegramId: number, address: string) {
  let token = "";
  const headers = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    "x-forwarded-for": address,
    ...extra,
  });

  async function signIn(): Promise<void> {
    const initData = signInitData({ user: { id: telegramId, first_name: `Agent ${telegramId}` } }, botToken);
    for (let attempt = 1; ep.alive(); attempt++) {
      const res = await fetch(`${ep.url}/api/auth/telegram`, {
        method: "POST",
        headers: { authorization: `tma ${initData}`, "x-forwarded-for": address },
      }).catch(() => null);
      if (res?.ok) {
        token = ((await res.json()) as { accessToken: string }).accessToken;
        return;
      }
      await res?.arrayBuffer().catch(() => {});
      await sleep(300 * Math.min(attempt, 5));
    }
  }

  /**
   * One request, repeated (same body, same Idempotency-Key when given) until the
   * product answers anything but a dead connection or a 5xx. Returns the status.
   */
  async function call(kind: string, method: string, path: string, body?: unknown, key?: string) {
    for (let attempt = 1; ep.alive(); attempt++) {
      const t0 = performance.now();
      const res = await fetch(`${ep.url}${path}`, {
        method,
        headers: headers({
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(key ? { "idempotency-key": key } : {}),
        }),
        body: body === undefined ? undefined : JSON.stringify(body),
      }).catch(() => null);
      if (res && res.status < 500) {
        const json = await res.json().catch(() => null);
        ep.timed?.({ kind, ms: performance.now() - t0 });
        if (res.status === 401) {
          await signIn();
          continue;
        }
        return { status: res.status, json };
      }
      await res?.arrayBuffer().catch(() => {});
      await sleep(200 + Math.min(attempt, 10) * 100);
    }
    return { status: 0, json: null };
  }
  return { signIn, call };
}
