import {
  closingBehavior,
  mainButton,
  miniApp,
  popup,
  postEvent,
  swipeBehavior,
} from "@telegram-apps/sdk-react";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * The Telegram behaviours a screen asks for while someone is writing or about to
 * destroy something: closing confirmation, vertical swipes, native popups, the
 * MainButton's progress, the header and background colours. Each one degrades to
 * nothing (or to the browser's own confirm) outside Telegram or on an older client.
 */

/** Header, background and bottom bar painted in the theme's background, so the app reads as one surface. */
export function paintFromTheme(): void {
  try {
    miniApp.mountSync.ifAvailable();
    // Said to Telegram directly: the SDK skips a colour it believes is already set (its
    // remembered state may come from an earlier launch), and the page paints --tg-theme-bg-color.
    try {
      postEvent("web_app_set_header_color", { color_key: "bg_color" });
    } catch {
      // an older client without header colours
    }
    miniApp.setBackgroundColor.ifAvailable("bg_color");
    miniApp.setBottomBarColor.ifAvailable("bg_color");
    closingBehavior.mount.ifAvailable();
    swipeBehavior.mount.ifAvailable();
    // The SDK mounts with vertical swipes off (or as an earlier launch left them); the app
    // starts with Telegram's own default, swipes on, and turns them off only while composing.
    swipeBehavior.enableVertical.ifAvailable();
  } catch {
    // not in Telegram, or an older client
  }
}

/**
 * While `composing` (a draft exists): Telegram asks before the app closes, and a vertical
 * swipe no longer closes it (a swipe inside a long textarea would otherwise lose the words).
 */
export function useComposing(composing: boolean): void {
  useEffect(() => {
    if (!composing) return;
    try {
      closingBehavior.enableConfirmation.ifAvailable();
      swipeBehavior.disableVertical.ifAvailable();
    } catch {
      // not in Telegram
    }
    return () => {
      try {
        closingBehavior.disableConfirmation.ifAvailable();
        swipeBehavior.enableVertical.ifAvailable();
      } catch {
        // not in Telegram
      }
    };
  }, [composing]);
}

/**
 * Asks before a destructive act in Telegram's own popup (a red button for the act and
 * Cancel); outside Telegram, the browser's confirm. Resolves true only for the act.
 */
export async function confirmDestructive(message: string, act: string): Promise<boolean> {
  try {
    const [opened, answer] = popup.open.ifAvailable({
      message: message.slice(0, 256),
      buttons: [
        { id: "act", type: "destructive", text: act.slice(0, 64) },
        { id: "cancel", type: "cancel" },
      ],
    });
    if (opened) return (await answer) === "act";
  } catch {
    // a popup already open, or not in Telegram: ask the browser's way
  }
  return window.confirm(message);
}

/** The MainButton's spinner while the form's primary action is on its way. */
export function setMainButtonBusy(busy: boolean): void {
  try {
    mainButton.setParams.ifAvailable({ isLoaderVisible: busy, isEnabled: !busy });
  } catch {
    // not in Telegram
  }
}

/** Where a draft is kept: this device's storage, by person and by what is being written. */
const draftKey = (owner: string, what: string) => `helpdesk:draft:${owner}:${what}`;

function readDraft<T>(key: string, empty: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? empty : { ...empty, ...(JSON.parse(raw) as T) };
  } catch {
    return empty;
  }
}

/**
 * A draft that survives closing the app: kept in localStorage (Telegram's WebView keeps
 * it across launches) under the person and the thing being written, restored on open,
 * removed when `clear` is called after a send, or when it is emptied.
 */
export function useDraft<T extends Record<string, unknown>>(owner: string, what: string, empty: T) {
  const key = draftKey(owner, what);
  const [draft, setDraft] = useState<T>(() => readDraft(key, empty));
  const [shownKey, setShownKey] = useState(key);
  // Another ticket on the same component: its own draft.
  if (shownKey !== key) {
    setShownKey(key);
    setDraft(readDraft(key, empty));
  }
  const filled = Object.values(draft).some((v) => typeof v === "string" && v.trim() !== "");
  useEffect(() => {
    try {
      if (filled) localStorage.setItem(key, JSON.stringify(draft));
      else localStorage.removeItem(key);
    } catch {
      // storage full or off: the draft lives as long as the screen
    }
  }, [key, draft, filled]);
  // Stable across renders (a send callback depends on it); the empty draft is the first one given.
  const emptyDraft = useRef(empty);
  const clear = useCallback(() => {
    setDraft(emptyDraft.current);
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing kept
    }
  }, [key]);
  return { draft, setDraft, filled, clear };
}
