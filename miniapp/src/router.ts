import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Route } from "./app-context.js";
import { bindBackButton } from "./telegram.js";

/** A ticket number as it appears in links: T-YYYYMMDD-#### (the "T-" optional, as people type it). */
const TICKET_LINK = /^t_(T-)?(\d{8}-\d{1,6})$/i;

/**
 * The screen a launch parameter asks for: `startapp=t_<number>` (Telegram passes it as
 * tgWebAppStartParam) opens that ticket above the queue, so Back lands in the queue.
 * Anything else opens the queue.
 */
export function initialStack(startParam: string | null): Route[] {
  const match = startParam ? TICKET_LINK.exec(startParam) : null;
  if (!match) return [{ name: "queue" }];
  return [{ name: "queue" }, { name: "ticket", number: `T-${match[2]}` }];
}

/** The link that opens a ticket, for sharing (t.me/<bot>/<app>?startapp=…). */
export const startParamOf = (ticketNumber: string) => `t_${ticketNumber}`;

export interface Router {
  route: Route;
  depth: number;
  open(route: Route): void;
  /** Puts `route` in place of the current screen (Back skips what it replaced). */
  replace(route: Route): void;
  back(): void;
  /** A top-level section (the nav bar): the stack starts again from it. */
  reset(route: Route): void;
  /** What a screen wants back when it is shown again (the queue's tab, filters, search). */
  remembered<T>(key: string): T | undefined;
  remember(key: string, value: unknown): void;
}

/**
 * A stack of screens held in React state (no URL: Telegram owns the hash for its launch
 * parameters). Telegram's BackButton shows while there is somewhere to go back to.
 */
export function useStackRouter(startParam: string | null): Router {
  const [stack, setStack] = useState<Route[]>(() => initialStack(startParam));
  const views = useRef(new Map<string, unknown>());
  const open = useCallback((r: Route) => setStack((s) => [...s, r]), []);
  const replace = useCallback((r: Route) => setStack((s) => [...s.slice(0, -1), r]), []);
  const back = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback((r: Route) => setStack([r]), []);
  const remembered = useCallback(<T>(key: string) => views.current.get(key) as T | undefined, []);
  const remember = useCallback((key: string, value: unknown) => {
    views.current.set(key, value);
  }, []);
  useEffect(() => bindBackButton(stack.length > 1 ? back : null), [stack.length, back]);
  const route = stack[stack.length - 1];
  return useMemo(
    () => ({ route, depth: stack.length, open, replace, back, reset, remembered, remember }),
    [route, stack.length, open, replace, back, reset, remembered, remember],
  );
}
