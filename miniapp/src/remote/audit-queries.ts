import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { InferResponseType } from "hono/client";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";
import { queryKeys } from "./query-client.js";

/**
 * The admins' audit log (GET /api/audit) through the typed client. No change event
 * covers admin changes, so the log is read afresh on each opening (staleTime 0) and
 * cached per filter, "More" following the server's cursor page by page.
 */

type Audit = ApiClient["audit"];
/** One page of entries, newest first, and the cursor of the next (null: the last page). */
export type AuditPage = InferResponseType<Audit["$get"], 200>;
export type AuditEntry = AuditPage["items"][number];

/** Entries per page: a phone screen's worth or two. */
const PAGE_SIZE = "30";

/** The filters as the list's query (the days already turned into instants, audit-data.ts). */
export type AuditQuery = Record<string, string>;

export function useAuditPages(query: AuditQuery) {
  const { client } = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.audit(new URLSearchParams(query).toString()),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        client.audit.$get({
          query: { ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 0,
    // The entries shown stay while another filter's first page loads.
    placeholderData: keepPreviousData,
  });
}

/** The kinds of things the log holds, for its filter; [] while unknown (or refused). */
export function useAuditEntities(): string[] {
  const { client } = useApi();
  const entities = useQuery({
    queryKey: queryKeys.auditEntities,
    queryFn: () => unwrap(client.audit.entities.$get()),
    retry: false,
  });
  return entities.data ?? [];
}
