import { type QueryKey, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";

/**
 * The admin screens' lists and changes in one shape: a list cached under its key and
 * fetched through the typed client; a change that, once it went through, invalidates
 * the keys it names (so the lists showing it refetch, and nothing else does).
 */
export function useResource<T>(
  key: QueryKey,
  load: (client: ApiClient) => Promise<T>,
  /** `staleTime: 0` for what changes without any event saying so: opening the screen asks again. */
  options: { refetchInterval?: number; staleTime?: number } = {},
) {
  const { client } = useApi();
  // Admin lists change without a ticket event (another admin's edit): shown from the cache
  // at once and asked again in the background each time the screen opens.
  return useQuery({ queryKey: key, queryFn: () => load(client), staleTime: 0, ...options });
}

export function useChange<I, O>(run: (client: ApiClient, input: I) => Promise<O>, invalidates: QueryKey[]) {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: I) => run(client, input),
    onSuccess: () => Promise.all(invalidates.map((queryKey) => queries.invalidateQueries({ queryKey }))),
  });
}

/** A 204 answer (a delete): nothing to read, but a refusal is still the error to show. */
export async function noContent(pending: Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>) {
  const res = await pending;
  if (!res.ok) await unwrap(Promise.resolve(res));
}
