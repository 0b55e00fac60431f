import {
  closingBehavior,
  mainButton,
  miniApp,
  popup,
  postEvent,
  swipeBehavior,
} from "@telegram-apps/sdk-react";
import { useEffect } from "react";

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
