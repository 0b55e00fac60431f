import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { InferRequestType, InferResponseType } from "hono/client";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";
import { queryKeys } from "./query-client.js";
import { noContent } from "./resource.js";

type Canned = ApiClient["canned-replies"];
/** One canned reply as the list answers it (with whether this person may change it). */
export type CannedReply = InferResponseType<Canned["$get"], 200>[number];
export type CannedCreate = InferRequestType<Canned["$post"]>["json"];
export type CannedPatch = InferRequestType<Canned[":id"]["$patch"]>["json"];

/**
 * The canned replies this person may use: in Settings their own list (admins: everyone's),
 * on a ticket those that fit it (its branch's too). Each list is cached on its own;
 * every change invalidates them all.
 */
export function useCannedReplies(scope: "mine" | "all" | { ticketId: string }) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.canned(scope),
    queryFn: () => {
      const query =
        scope === "all"
          ? { all: "true", limit: "200" }
          : scope === "mine"
            ? { limit: "200" }
            : { ticketId: scope.ticketId, limit: "200" };
      return unwrap(client["canned-replies"].$get({ query } as never)) as Promise<CannedReply[]>;
    },
  });
}

function useCannedInvalidation() {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: queryKeys.cannedAll });
}

/** Creates (no id) or changes (id) a reply. */
export function useSaveCanned() {
  const { client } = useApi();
  const invalidate = useCannedInvalidation();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: CannedCreate | CannedPatch }) =>
      id
        ? unwrap(client["canned-replies"][":id"].$patch({ param: { id }, json: body as CannedPatch }))
        : unwrap(client["canned-replies"].$post({ json: body as CannedCreate })),
    onSuccess: invalidate,
  });
}

export function useDeleteCanned() {
  const { client } = useApi();
  const invalidate = useCannedInvalidation();
  return useMutation({
    mutationFn: (id: string) => noContent(client["canned-replies"][":id"].$delete({ param: { id } })),
    onSuccess: invalidate,
  });
}

/** Adds files to a saved reply (multipart `files`); answers the reply with all its files. */
export function useUploadCannedFiles() {
  const { client } = useApi();
  const invalidate = useCannedInvalidation();
  return useMutation({
    mutationFn: ({ id, files }: { id: string; files: File[] }) =>
      unwrap(
        client["canned-replies"][":id"].files.$post({ param: { id }, form: { files } } as never),
      ) as Promise<CannedReply>,
    onSuccess: invalidate,
  });
}
