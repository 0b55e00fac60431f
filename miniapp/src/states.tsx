import { useEffect, useState } from "react";
import { t } from "./i18n.js";
import { ApiError } from "./remote/session.js";

/**
 * The states every screen shares: loading (skeletons shaped like what is coming, not a
 * bare word), empty (saying what to do), failed (translated, with Retry) and offline.
 */

/** Grey blocks in the shape of a list of rows while it loads. */
export function ListSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <ul className="list skeleton-list" aria-busy="true" aria-label={t("chat.loading")}>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <li key={i} className="skeleton-row">
          <span className="skeleton skeleton-line wide" />
          <span className="skeleton skeleton-line" />
        </li>
      ))}
    </ul>
  );
}

/** A screen's placeholder while its code or first data arrives. */
export function ScreenSkeleton() {
  return (
    <div className="page" aria-busy="true">
      <span className="skeleton skeleton-title" />
      <ListSkeleton rows={4} />
    </div>
  );
}

/** What a failure says: the server's translated refusal, or our own words; never its raw status text. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError && error.message) return error.message;
  return t("error.generic");
}

export function ErrorRetry({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="state-error" role="alert">
      <p className="error">{errorText(error)}</p>
      <button type="button" className="secondary" onClick={onRetry}>
        {t("retry")}
      </button>
    </div>
  );
}

/** An empty list with what to do about it. */
export function EmptyState({ title, hint }: { title: string; hint?: string }) {
  return (
    <div className="state-empty">
      <p>{title}</p>
      {hint && <p className="hint">{hint}</p>}
    </div>
  );
}

/** A bar while the device is offline: what is on screen may be old, and sends will fail. */
export function OfflineNotice() {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  if (online) return null;
  return (
    <p className="offline-notice" role="status">
      {t("chat.offline")}
    </p>
  );
}
