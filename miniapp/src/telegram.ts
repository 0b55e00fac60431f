import {
  backButton,
  bindViewportCssVars,
  expandViewport,
  hapticFeedback,
  init,
  mainButton,
  miniAppReady,
  mountViewport,
  retrieveLaunchParams,
  retrieveRawInitData,
  themeParams,
} from "@telegram-apps/sdk-react";
import { paintFromTheme } from "./telegram-native.js";

export interface LaunchInfo {
  /** Raw signed initData, sent to the server as `Authorization: tma <initData>`. */
  initData: string | null;
  startParam: string | null;
  dark: boolean;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, "-");

/** Whether a #rrggbb colour is dark (so the page picks its dark palette). */
function isDark(hex: string | undefined): boolean {
  if (!hex || !/^#[0-9a-f]{6}$/i.test(hex)) return false;
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128;
}

/**
 * Reads Telegram's launch parameters (initData, theme, start_param), binds the
 * theme to CSS variables (--tg-theme-*) and mounts the native buttons. Outside
 * Telegram there are no launch parameters: the app says so instead of guessing.
 */
export function startTelegram(): LaunchInfo {
  try {
    const lp = retrieveLaunchParams() as Record<string, unknown>;
    const theme = (lp.tgWebAppThemeParams ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(theme)) {
      if (typeof value === "string")
        document.documentElement.style.setProperty(`--tg-theme-${kebab(key)}`, value);
    }
    try {
      init();
      themeParams.mountSync.ifAvailable();
      themeParams.bindCssVars.ifAvailable();
      backButton.mount.ifAvailable();
      mainButton.mount.ifAvailable();
      // Full height at once (a triage screen needs the room), and the viewport's height
      // and safe areas as CSS variables (--tg-viewport-*).
      expandViewport.ifAvailable();
      const [mounting, mounted] = mountViewport.ifAvailable();
      if (mounting)
        void Promise.resolve(mounted)
          .then(() => bindViewportCssVars.ifAvailable())
          .catch(() => {});
      paintFromTheme();
      // Telegram shows its placeholder until the app says it is ready.
      miniAppReady.ifAvailable();
    } catch {
      // Older clients lack some components; the page works without them.
    }
    const bg = theme.bgColor ?? theme.bg_color;
    return {
      initData: retrieveRawInitData() ?? null,
      startParam: (lp.tgWebAppStartParam as string | undefined) ?? null,
      dark: isDark(bg),
    };
  } catch (err) {
    console.warn("no Telegram launch parameters:", err);
    return { initData: null, startParam: null, dark: false };
  }
}

/**
 * Telegram's initData as it holds it now, read again from the launch parameters (the
 * SDK looks at the current URL and its session storage): after a long pause the
 * client may have given the page newer data than the one the app started with.
 */
export function freshInitData(): string | null {
  try {
    return retrieveRawInitData() ?? null;
  } catch {
    return null;
  }
}

/** Shows Telegram's BackButton while `onBack` is set. */
export function bindBackButton(onBack: (() => void) | null): () => void {
  try {
    if (!onBack) {
      backButton.hide.ifAvailable();
      return () => {};
    }
    backButton.show.ifAvailable();
    const result = backButton.onClick.ifAvailable(onBack);
    return () => {
      if (result[0]) result[1]();
    };
  } catch {
    return () => {};
  }
}

/** Telegram's MainButton as the page's primary action (hidden when text is null). */
export function setMainButton(text: string | null, onClick?: () => void): () => void {
  try {
    mainButton.setParams.ifAvailable({ text: text ?? "", isVisible: text !== null, isEnabled: true });
    if (text && onClick) {
      const result = mainButton.onClick.ifAvailable(onClick);
      // Leaving the screen (Back) must not leave a button that no longer does anything.
      return () => {
        if (result[0]) result[1]();
        mainButton.setParams.ifAvailable({ isVisible: false });
      };
    }
  } catch {
    // not in Telegram
  }
  return () => {};
}

export function haptic(kind: "light" | "success" | "error" = "light"): void {
  try {
    if (kind === "light") hapticFeedback.impactOccurred.ifAvailable("light");
    else hapticFeedback.notificationOccurred.ifAvailable(kind);
  } catch {
    // not in Telegram
  }
}
