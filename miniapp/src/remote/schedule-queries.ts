import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { InferRequestType, InferResponseType } from "hono/client";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";
import { queryKeys } from "./query-client.js";
import { noContent } from "./resource.js";

/**
 * Scheduled reports (admins; docs/REPORTS.md "Scheduled reports") through the typed
 * client. Another admin's change sends no event, so the list is read afresh on each
 * opening; each change here invalidates the list alone (the chats it names are not
 * changed by it).
 */

type Scheduled = ApiClient["scheduled-reports"];
export type ScheduledReport = InferResponseType<Scheduled["$get"], 200>[number];
export type NewSchedule = InferRequestType<Scheduled["$post"]>["json"];
export type SchedulePatch = InferRequestType<Scheduled[":id"]["$patch"]>["json"];

export function useScheduledReports() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.scheduledReports,
    queryFn: () => unwrap(client["scheduled-reports"].$get()),
    staleTime: 0,
  });
}

function useScheduledInvalidation() {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: queryKeys.scheduledReports });
}

/** Adds a schedule (no id) or changes one; the server recomputes its next run. */
export function useSaveSchedule() {
  const { client } = useApi();
  const invalidate = useScheduledInvalidation();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: NewSchedule }) =>
      id
        ? unwrap(client["scheduled-reports"][":id"].$patch({ param: { id }, json: body }))
        : unwrap(client["scheduled-reports"].$post({ json: body })),
    onSuccess: invalidate,
  });
}

/** Switches a schedule on or off. */
export function useToggleSchedule() {
  const { client } = useApi();
  const invalidate = useScheduledInvalidation();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      unwrap(client["scheduled-reports"][":id"].$patch({ param: { id }, json: { enabled } })),
    onSuccess: invalidate,
  });
}

export function useDeleteSchedule() {
  const { client } = useApi();
  const invalidate = useScheduledInvalidation();
  return useMutation({
    mutationFn: (id: string) => noContent(client["scheduled-reports"][":id"].$delete({ param: { id } })),
    onSuccess: invalidate,
  });
}
