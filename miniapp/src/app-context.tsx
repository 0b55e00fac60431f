import { createContext, useContext } from "react";
import type { QueueFilters } from "./pages/queue-filters.js";
import type { Me, MetaData } from "./remote/client.js";

/** The admin area's sub-navigation, in order. */
export const ADMIN_SECTIONS = [
  "users",
  "branches",
  "categories",
  "labels",
  "failed",
  "delivery",
  "settings",
  "sla",
  "rules",
  "assignment",
  "scheduled_reports",
  "audit",
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];
export type Route =
  | { name: "queue"; status?: string; filter?: Partial<QueueFilters> }
  /** By id, or by number (a deep link: `startapp=t_<number>`). */
  | { name: "ticket"; id?: string; number?: string }
  | { name: "new" }
  | { name: "dashboard" }
  | { name: "reports" }
  | { name: "admin"; section: AdminSection }
  | { name: "settings" }
  | { name: "live" };

export interface AppState {
  me: Me;
  meta: MetaData;
  /** Fetches the metadata again (after a catalog change). */
  reloadMeta(): void;
  lang: string;
  open(route: Route): void;
  /** Puts `route` in place of the current screen (Back skips what it replaced). */
  replace(route: Route): void;
  back(): void;
  /** What a screen wants back when it is shown again (kept by the router, not in a module). */
  remembered<T>(key: string): T | undefined;
  remember(key: string, value: unknown): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error("useApp outside the app");
  return state;
}

export const isStaff = (me: Me) => ["agent", "moderator", "admin", "owner", "auditor"].includes(me.role);
export const canWork = (me: Me) => ["agent", "moderator", "admin", "owner"].includes(me.role);
export const isAdminRole = (me: Me) => me.role === "admin" || me.role === "owner";
