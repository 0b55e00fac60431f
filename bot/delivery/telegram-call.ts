import type { Telegram } from "telegraf";
import { DeliveryError } from "../../server/domain/index.js";

/** Longest a Bot API call may take before it counts as a transient failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Calls the Bot API with a timeout and turns every failure into the DeliveryError
 * kind the outbox worker acts on: 429 → rate_limited (with retry_after), 403 →
 * blocked, other 4xx → bad_request, 5xx, timeouts and network errors → transient.
 */
export async function callTelegram<T>(
  telegram: Telegram,
  method: string,
  payload: Record<string, unknown>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: telegraf types callApi per method; payloads are built by the renderer
    return (await telegram.callApi(method as any, payload as any, {
      signal: AbortSignal.timeout(timeoutMs) as never,
    })) as T;
  } catch (err) {
    throw toDeliveryError(err);
  }
}

export function toDeliveryError(err: unknown): DeliveryError {
  const e = err as {
    code?: unknown;
    response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
  };
  const code = e.response?.error_code ?? (typeof e.code === "number" ? e.code : undefined);
  const description = e.response?.description ?? (err instanceof Error ? err.message : String(err));
  if (code === 429)
    return new DeliveryError("rate_limited", description, e.response?.parameters?.retry_after ?? 1);
  if (code === 403) return new DeliveryError("blocked", description);
  if (code !== undefined && code >= 400 && code < 500)
    return new DeliveryError("bad_request", `${code} ${description}`);
  return new DeliveryError("transient", code ? `${code} ${description}` : description);
}
