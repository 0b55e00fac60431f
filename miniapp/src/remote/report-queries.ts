import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { InferRequestType, InferResponseType } from "hono/client";
import { errorOf } from "../api.js";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";
import { queryKeys } from "./query-client.js";
import type { Session } from "./session.js";

/**
 * The reports screen's data (docs/REPORTS.md) through the typed client. Reports are
 * cached per query string: moving a date back shows the earlier answer at once. No
 * change event touches them (they are counts over a range), so they are asked again
 * whenever the screen opens (shown from the cache meanwhile) or the query changes.
 */

type Reports = ApiClient["reports"];
export type VolumeReport = InferResponseType<Reports["volume"]["$get"], 200>;
export type TimingsReport = InferResponseType<Reports["timings"]["$get"], 200>;
export type SlaReport = InferResponseType<Reports["sla"]["$get"], 200>;
export type CsatReport = InferResponseType<Reports["csat"]["$get"], 200>;
export type AgentsReport = InferResponseType<Reports["agents"]["$get"], 200>;
export type BreakdownReport = InferResponseType<Reports["breakdown"]["$get"], 200>;
/** Every report's parameters (from, to, interval and the filters). */
export type ReportQuery = InferRequestType<Reports["volume"]["$get"]>["query"];
export type BreakdownBy = NonNullable<InferRequestType<Reports["breakdown"]["$get"]>["query"]["by"]>;
/** A report a file can be made of (or "tickets", the queue's list). */
export type ExportName = InferRequestType<Reports["export"][":name"]["$get"]>["param"]["name"];

/** The screen's query string as the client's query object (the same parameters, by name). */
export const reportQueryOf = (query: string) => Object.fromEntries(new URLSearchParams(query)) as ReportQuery;

/** The six reports of the screen, fetched together: the screen shows them once all are in. */
export function useReports(query: string, by: BreakdownBy) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.reports(`${query}&by=${by}`),
    queryFn: async () => {
      const q = { query: reportQueryOf(query) };
      const [volume, timings, sla, csat, agents, breakdown] = await Promise.all([
        unwrap(client.reports.volume.$get(q)),
        unwrap(client.reports.timings.$get(q)),
        unwrap(client.reports.sla.$get(q)),
        unwrap(client.reports.csat.$get(q)),
        unwrap(client.reports.agents.$get(q)),
        unwrap(client.reports.breakdown.$get({ query: { ...q.query, by } })),
      ]);
      return { volume, timings, sla, csat, agents, breakdown };
    },
    staleTime: 0,
    // The figures on screen stay while the next range loads.
    placeholderData: keepPreviousData,
  });
}

/** Live chat's figures for the same range and filters (GET /api/live/report). */
export function useLiveReport(query: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.liveReport(query),
    queryFn: () => unwrap(client.live.report.$get({ query: reportQueryOf(query) })),
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

export type ReportChat = InferResponseType<ApiClient["scheduled-reports"]["chats"]["$get"], 200>[number];

/** The chats an admin may send or schedule reports to; [] until loaded (or when refused). */
export function useReportChats(enabled = true): ReportChat[] {
  const { client } = useApi();
  const chats = useQuery({
    queryKey: queryKeys.reportChats,
    queryFn: () => unwrap(client["scheduled-reports"].chats.$get()),
    enabled,
    retry: false,
  });
  return chats.data ?? [];
}

/**
 * Sends a section's PDF to a chat (202: queued). The file goes through the outbox,
 * so the only cached thing it changes is the delivery backlog.
 */
export function useSendReport() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ name, query, chatId }: { name: ExportName; query: string; chatId: number | null }) =>
      unwrap(
        client.reports.export[":name"].send.$post({
          param: { name },
          query: { ...reportQueryOf(query), format: "pdf" },
          json: chatId === null ? {} : { chatId },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: queryKeys.deliveryBacklog }),
  });
}

/**
 * Downloads a file the API makes (an export): fetched through the session, which
 * carries and renews the token a plain link could not, and handed to the browser
 * under the name the server gave it.
 */
export async function downloadFile(session: Session, path: string, fallbackName: string): Promise<void> {
  const res = await session.fetch(path);
  if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
  const fileName =
    /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
