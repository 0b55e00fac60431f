import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./session.js";

/**
 * The cache's rules: a refusal (4xx) is an answer, not a hiccup, so it is not retried;
 * network failures and the server's own errors are tried twice more before the
 * screen shows its error with Retry. Data stays fresh until an SSE event says it
 * changed (live.ts), so switching screens does not refetch.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        retryDelay: (n) => Math.min(500 * 2 ** n, 4000),
      },
      mutations: { retry: false },
    },
  });
}

/** Every cached query's key, in one place, so invalidation names exactly what changed. */
export const queryKeys = {
  meta: ["meta"] as const,
  lists: ["tickets", "list"] as const,
  list: (query: string) => ["tickets", "list", query] as const,
  ticket: (id: string) => ["ticket", id] as const,
  ticketPart: (id: string, part: "detail" | "messages" | "history" | "choices") =>
    ["ticket", id, part] as const,
  dashboard: ["dashboard"] as const,
  catalog: (kind: "branches" | "categories" | "labels") => ["catalog", kind] as const,
  peopleAll: ["people"] as const,
  people: (q: string) => ["people", q] as const,
  person: (id: string) => ["person", id] as const,
  settings: ["settings"] as const,
  canned: (scope: "mine" | "all" | { ticketId: string }) => ["canned", scope] as const,
  cannedAll: ["canned"] as const,
  requesters: (q: string) => ["requesters", q] as const,
  /** Under the dashboard's key: every live event marks it stale, as it did the dashboard. */
  failedNotifications: ["dashboard", "failed-notifications"] as const,
  deliveryBacklog: ["delivery-backlog"] as const,
  assignmentPolicies: ["assignment-policies"] as const,
  automationRules: ["automation-rules"] as const,
  slaPolicies: ["sla-policies"] as const,
  businessCalendars: ["business-calendars"] as const,
  me: ["me"] as const,
  /** Everything of live chat: every change event marks it stale, as the app's counter did. */
  live: ["live"] as const,
  livePart: (part: "mine" | "board") => ["live", part] as const,
  /** Outside `live`: a requester's chat stays on screen after it ends (for the rating) until they leave. */
  liveCurrent: ["live-current"] as const,
  liveOfTicket: (ticketId: string) => ["live", "ticket", ticketId] as const,
  presence: ["presence"] as const,
  reports: (query: string) => ["reports", query] as const,
  liveReport: (query: string) => ["reports", "live", query] as const,
  reportChats: ["report-chats"] as const,
  scheduledReports: ["scheduled-reports"] as const,
  audit: (query: string) => ["audit", query] as const,
  auditEntities: ["audit", "entities"] as const,
  staffPeople: (roles: string) => ["people", "staff", roles] as const,
};
