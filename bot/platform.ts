import type { Logger } from "pino";

/** Which Bot API the product talks to (BOT_PLATFORM): Telegram's, or Bale's Telegram-compatible one. */
export const BOT_PLATFORMS = ["telegram", "bale"] as const;
export type BotPlatform = (typeof BOT_PLATFORMS)[number];

/** The optional Bot API features the product uses, each of which a platform may lack. */
export type OptionalFeature = "forumTopics" | "menuButton";

/**
 * What the Bot API in use supports, shared by the bot and the outbox deliverer of
 * one process. Telegram: everything. Bale (docs/OPERATIONS.md "Running on Bale"):
 * no forum topics (its groups are plain groups) and no Mini App menu button, so
 * those are off from the start. On either platform a call that fails as
 * unsupported (404, or "method not found"/"not implemented") switches its
 * feature off for the rest of the process with one log line: staff chats then
 * get cards instead of topics, and staff keep the command menu.
 */
export interface PlatformFeatures {
  readonly platform: BotPlatform;
  has(feature: OptionalFeature): boolean;
  /** Switches a feature off (logged once, with the reason). */
  switchOff(feature: OptionalFeature, reason: unknown): void;
  /**
   * Runs a call that needs `feature`: skipped (undefined) when it is off; a failure
   * that says the method is unsupported switches it off and is swallowed; any other
   * failure is thrown as it was.
   */
  attempt<T>(feature: OptionalFeature, call: () => Promise<T>): Promise<T | undefined>;
}

const OFF_ON: Record<BotPlatform, OptionalFeature[]> = {
  telegram: [],
  bale: ["forumTopics", "menuButton"],
};

export function createPlatformFeatures(
  platform: BotPlatform = "telegram",
  logger?: Logger,
): PlatformFeatures {
  const off = new Set<OptionalFeature>(OFF_ON[platform]);
  const features: PlatformFeatures = {
    platform,
    has: (feature) => !off.has(feature),
    switchOff(feature, reason) {
      if (off.has(feature)) return;
      off.add(feature);
      logger?.warn(
        { feature, platform, reason: describe(reason) },
        "Bot API feature unsupported here: switched off",
      );
    },
    async attempt(feature, call) {
      if (off.has(feature)) return undefined;
      try {
        return await call();
      } catch (err) {
        if (!isUnsupportedMethod(err)) throw err;
        features.switchOff(feature, err);
        return undefined;
      }
    },
  };
  return features;
}

/**
 * Whether a Bot API failure says the method (or the kind of thing asked) does not
 * exist there, as opposed to a refusal of this one call (403, a bad chat id, 429).
 */
export function isUnsupportedMethod(err: unknown): boolean {
  const e = err as { response?: { error_code?: number; description?: string }; code?: number };
  const code = e?.response?.error_code ?? e?.code;
  const text = String(e?.response?.description ?? (err as Error)?.message ?? "").toLowerCase();
  return (
    code === 404 ||
    code === 501 ||
    // The outbox's DeliveryError carries the code in its message ("404 Not Found: …").
    /^(404|501) /.test(text) ||
    /method not found|not implemented|unknown method|not supported|unsupported/.test(text)
  );
}

function describe(reason: unknown): string {
  const e = reason as { response?: { description?: string }; message?: string };
  return String(e?.response?.description ?? e?.message ?? reason);
}
