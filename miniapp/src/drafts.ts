import { cloudStorage } from "@telegram-apps/sdk-react";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Drafts that survive closing the app. Two places keep them:
 * - Telegram's CloudStorage (per user and bot, on Telegram's servers): what is typed in
 *   the app on the phone is still there after Telegram cleared the WebView's storage, or
 *   on the desktop client. Asked through the bridge, so it answers later, and each
 *   write is a message to Telegram: written once the typing pauses.
 * - the WebView's localStorage: at hand at once when the screen opens (no wait for
 *   Telegram), and the only place outside Telegram or on clients older than 6.9.
 * On open, the local copy shows at once; Telegram's copy replaces it when it arrives,
 * if it is the newer of the two (each copy carries when it was written: a cloud write
 * waits for a pause, so the app closed mid-word leaves the local copy ahead) and the
 * person has not started typing meanwhile.
 */

/** CloudStorage keys are 1–128 characters of A-Z a-z 0-9 _ -. */
const draftKey = (owner: string, what: string) =>
  `draft_${owner}_${what}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 128);
/** A value CloudStorage holds at most (longer drafts stay on the device only). */
const CLOUD_MAX = 4096;
const CLOUD_WRITE_DELAY_MS = 600;
/** A client that never answers (an unknown environment) must not hold anything up. */
const CLOUD_TIMEOUT_MS = 4000;

function cloud() {
  try {
    return cloudStorage.getItem.isAvailable() ? cloudStorage : null;
  } catch {
    return null;
  }
}

/** A kept draft: its fields and when they were written (ms). */
interface Kept<T> {
  at: number;
  draft: T;
}
const pack = <T>(draft: T) => JSON.stringify({ at: Date.now(), draft });
function unpack<T>(raw: string | null, empty: T): Kept<T> {
  if (!raw) return { at: 0, draft: empty };
  try {
    const parsed = JSON.parse(raw) as Partial<Kept<T>>;
    return typeof parsed.at === "number" && parsed.draft
      ? { at: parsed.at, draft: { ...empty, ...parsed.draft } }
      : { at: 0, draft: empty };
  } catch {
    return { at: 0, draft: empty };
  }
}

function readLocal<T>(key: string, empty: T): Kept<T> {
  try {
    return unpack(localStorage.getItem(key), empty);
  } catch {
    return { at: 0, draft: empty };
  }
}

function writeLocal(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage full or off: the draft lives as long as the screen (and in Telegram's cloud)
  }
}

/** Writes (or, for null, deletes) Telegram's copy; a failure leaves the local one. */
function writeCloud(key: string, value: string | null): void {
  const store = cloud();
  if (!store) return;
  try {
    const done =
      value === null || value.length > CLOUD_MAX
        ? store.deleteItem(key, { timeout: CLOUD_TIMEOUT_MS })
        : store.setItem(key, value, { timeout: CLOUD_TIMEOUT_MS });
    void Promise.resolve(done).catch(() => {});
  } catch {
    // not available after all
  }
}

const isFilled = (d: Record<string, unknown>) =>
  Object.values(d).some((v) => typeof v === "string" && v.trim() !== "");

/**
 * A draft kept under the person and the thing being written: restored on open, saved
 * as it changes, removed when `clear` is called after a send, or when it is emptied.
 */
export function useDraft<T extends Record<string, unknown>>(owner: string, what: string, empty: T) {
  const key = draftKey(owner, what);
  const [draft, setDraftState] = useState<T>(() => readLocal(key, empty).draft);
  const [shownKey, setShownKey] = useState(key);
  // Typed since the screen opened: Telegram's (older) copy must not overwrite it.
  const touched = useRef(false);
  // Another ticket on the same component: its own draft.
  if (shownKey !== key) {
    setShownKey(key);
    setDraftState(readLocal(key, empty).draft);
    touched.current = false;
  }
  const setDraft = useCallback((next: T | ((d: T) => T)) => {
    touched.current = true;
    setDraftState(next);
  }, []);
  // Telegram's copy, once, when the screen opens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once per key; `empty` is a fresh literal each render
  useEffect(() => {
    const store = cloud();
    if (!store) return;
    let current = true;
    try {
      void Promise.resolve(store.getItem(key, { timeout: CLOUD_TIMEOUT_MS }))
        .then((raw) => {
          if (!current || touched.current || !raw) return;
          const remote = unpack(raw, empty);
          if (remote.at <= readLocal(key, empty).at) return;
          setDraftState(remote.draft);
          writeLocal(key, raw);
        })
        .catch(() => {});
    } catch {
      // not available after all
    }
    return () => {
      current = false;
    };
  }, [key]);
  const filled = isFilled(draft);
  useEffect(() => {
    if (!touched.current) return;
    const value = filled ? pack(draft) : null;
    writeLocal(key, value);
    const timer = setTimeout(() => writeCloud(key, value), CLOUD_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, draft, filled]);
  // Stable across renders (a send callback depends on it); the empty draft is the first one given.
  const emptyDraft = useRef(empty);
  const clear = useCallback(() => {
    touched.current = false;
    setDraftState(emptyDraft.current);
    writeLocal(key, null);
    writeCloud(key, null);
  }, [key]);
  return { draft, setDraft, filled, clear };
}
