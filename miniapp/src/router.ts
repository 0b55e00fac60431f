import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Route } from "./app-context.js";
import { initialStack } from "./deep-link.js";
import { bindBackButton } from "./telegram.js";

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
