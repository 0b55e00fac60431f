import type { Me } from "../../remote/client.js";
import type { QueueFilters } from "../queue-filters.js";

/**
 * Saved views: the queue's chips. Each is a fixed part of the list's query (whose
 * tickets, which SLA state) under the person's own filters and search.
 */
export const STAFF_VIEWS = ["unassigned", "mine", "at_risk", "breached", "escalated", "all"] as const;
export type ViewName = (typeof STAFF_VIEWS)[number];
/** A requester has one view: their own tickets (the server scopes the list to them). */
export const REQUESTER_VIEWS: readonly ViewName[] = ["all"];

/** What the router keeps for Back: view, filters and search. */
export interface QueueView {
  tab: ViewName;
  filters: QueueFilters;
  q: string;
}

const UNFINISHED = ["open", "in_progress", "waiting_customer"];
export const PAGE_SIZE = 20;

/** The chip's words: each view's own key in miniapp.json. */
export const viewLabelKey = (v: ViewName) =>
  v === "escalated"
    ? "sla.tab_escalated"
    : v === "at_risk" || v === "breached"
      ? `sla.filter_${v}`
      : `tabs.${v}`;

/** The list's query string for a view: the API's parameters. */
export function queryOf(view: QueueView, meId: string): Record<string, string> {
  const { tab, filters: f, q } = view;
  const p: Record<string, string> = { limit: String(PAGE_SIZE), sort: f.sort };
  if (tab === "unassigned") p.assigneeId = "none";
  else if (tab === "mine") p.assigneeId = meId;
  else if (f.assigneeId) p.assigneeId = f.assigneeId;
  if (tab === "escalated") p.escalated = "true";
  // At risk and Breached are the SLA filter made a view: one tap from the queue.
  if (tab === "at_risk" || tab === "breached") p.sla = tab;
  else if (f.sla) p.sla = f.sla;
  if (f.status) p.status = f.status;
  // Unassigned means work nobody has taken: finished tickets do not pile up there.
  else if (tab === "unassigned") p.status = UNFINISHED.join(",");
  if (f.priority) p.priority = f.priority;
  if (f.categoryId) p.categoryId = f.categoryId;
  if (f.branchId) p.branchId = f.branchId;
  if (f.labelId) p.labelId = f.labelId;
  if (f.channel) p.channel = f.channel;
  if (q.trim()) p.q = q.trim();
  return p;
}

/**
 * The view last chosen, kept on the device per person, so the queue opens where they
 * work (Mine for one, Unassigned for a dispatcher) also after the app was closed.
 */
const storeKey = (me: Me) => `helpdesk.queue-view.${me.id}`;
export function savedView(me: Me): ViewName | null {
  try {
    const v = localStorage.getItem(storeKey(me));
    return v && (STAFF_VIEWS as readonly string[]).includes(v) ? (v as ViewName) : null;
  } catch {
    return null; // storage off (private mode): the default view
  }
}
export function saveView(me: Me, v: ViewName): void {
  try {
    localStorage.setItem(storeKey(me), v);
  } catch {
    // not kept; the queue still works
  }
}
