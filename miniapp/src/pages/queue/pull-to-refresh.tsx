import { useEffect, useRef, useState } from "react";
import { t } from "../../i18n.js";

const PULL_PX = 70;
type Pull = "idle" | "pulling" | "ready" | "refreshing";

/**
 * Pull to refresh: a finger dragging down from the very top of the page past 70 px
 * and let go refetches the list. Only from the top (scrollY 0), so an ordinary
 * scroll back up never refreshes by accident.
 */
export function usePullToRefresh(onRefresh: () => Promise<unknown>): Pull {
  const [state, setState] = useState<Pull>("idle");
  const refresh = useRef(onRefresh);
  refresh.current = onRefresh;
  useEffect(() => {
    let startY: number | null = null;
    let current: Pull = "idle";
    const set = (s: Pull) => {
      current = s;
      setState(s);
    };
    const start = (e: TouchEvent) => {
      startY = window.scrollY <= 0 && current !== "refreshing" ? e.touches[0].clientY : null;
    };
    const move = (e: TouchEvent) => {
      if (startY === null) return;
      const dy = e.touches[0].clientY - startY;
      if (dy <= 0) return set("idle");
      set(dy > PULL_PX ? "ready" : "pulling");
    };
    const end = () => {
      startY = null;
      if (current !== "ready") return set("idle");
      set("refreshing");
      void refresh.current().finally(() => set("idle"));
    };
    window.addEventListener("touchstart", start, { passive: true });
    window.addEventListener("touchmove", move, { passive: true });
    window.addEventListener("touchend", end);
    window.addEventListener("touchcancel", end);
    return () => {
      window.removeEventListener("touchstart", start);
      window.removeEventListener("touchmove", move);
      window.removeEventListener("touchend", end);
      window.removeEventListener("touchcancel", end);
    };
  }, []);
  return state;
}

export function PullIndicator({ state }: { state: Pull }) {
  if (state === "idle") return null;
  return (
    <p className="pull-indicator" role="status" data-pull={state}>
      {t(`queue_view.pull_${state}`)}
    </p>
  );
}
