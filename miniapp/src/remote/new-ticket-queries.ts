import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { InferRequestType, InferResponseType } from "hono/client";
import { useEffect, useState } from "react";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";
import { queryKeys } from "./query-client.js";

/** Someone staff may open a ticket for (GET /api/tickets/requesters). */
export type FilingCandidate = InferResponseType<ApiClient["tickets"]["requesters"]["$get"], 200>[number];
export type NewTicketBody = InferRequestType<ApiClient["tickets"]["$post"]>["json"];

/** `value` once it has stopped changing for `ms` (a search asks once the typing pauses). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The people matching what staff typed (two letters at least), asked 250 ms after the typing stops. */
export function useFilingCandidates(q: string, enabled: boolean) {
  const { client } = useApi();
  const words = useSettled(q.trim(), 250);
  return useQuery({
    queryKey: queryKeys.requesters(words),
    queryFn: () => unwrap(client.tickets.requesters.$get({ query: { q: words, limit: "10" } } as never)),
    enabled: enabled && words.length >= 2,
    select: (people) => people as FilingCandidate[],
  });
}

/**
 * Opens a ticket. `idempotencyKey` is the same for every attempt of one send (a double
 * tap, a retry after a lost answer); files go as one multipart body with the same fields.
 * The queue and the dashboard learn of it from the answer, not from a refetch of everything.
 */
export function useCreateTicket() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({
      body,
      files,
      idempotencyKey,
    }: {
      body: NewTicketBody;
      files: File[];
      idempotencyKey: string;
    }) => {
      const headers = { "idempotency-key": idempotencyKey };
      // The typed call with a multipart body in place of its JSON (the route reads both the same way);
      // init's headers replace the JSON content type, so the browser sets the multipart boundary.
      const init = files.length ? { body: asForm(body, files), headers } : undefined;
      return unwrap(client.tickets.$post({ json: body }, { headers, init }));
    },
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: queryKeys.lists });
      void queries.invalidateQueries({ queryKey: queryKeys.dashboard });
    },
  });
}

/** The new ticket's fields and its files as one multipart body. */
function asForm(body: NewTicketBody, files: File[]): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) if (value != null) form.append(name, String(value));
  for (const file of files) form.append("files", file);
  return form;
}
