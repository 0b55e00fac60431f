import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { InferRequestType, InferResponseType } from "hono/client";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";
import { queryKeys } from "./query-client.js";

/**
 * The admin screens' data (catalog, people, settings) through the typed client:
 * each list cached under its key, each change invalidating exactly what it touched
 * (a catalog change also the metadata every screen draws names from).
 */

export type CatalogKind = "branches" | "categories" | "labels";
export type BranchRow = InferResponseType<ApiClient["branches"]["$get"], 200>[number];
export type CategoryRow = InferResponseType<ApiClient["categories"]["$get"], 200>[number];
export type LabelRow = InferResponseType<ApiClient["labels"]["$get"], 200>[number];
export type CatalogRow = BranchRow | CategoryRow | LabelRow;
type PatchOf<K extends CatalogKind> = InferRequestType<ApiClient[K][":id"]["$patch"]>["json"];
type PostOf<K extends CatalogKind> = InferRequestType<ApiClient[K]["$post"]>["json"];
export type CatalogBody = PatchOf<"branches"> | PatchOf<"categories"> | PatchOf<"labels">;

/** Every entry of a kind, the inactive ones too (an admin switches them back on). */
export function useCatalogList<K extends CatalogKind>(kind: K) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.catalog(kind),
    // Another admin's edit sends no event: shown from the cache, asked again on each opening.
    staleTime: 0,
    queryFn: async () => {
      const query = { query: { includeInactive: "true" } } as never;
      if (kind === "branches") return unwrap(client.branches.$get(query));
      if (kind === "categories") return unwrap(client.categories.$get(query));
      return unwrap(client.labels.$get(query));
    },
  }) as ReturnType<
    typeof useQuery<(K extends "branches" ? BranchRow : K extends "categories" ? CategoryRow : LabelRow)[]>
  >;
}

/** Adds (no id) or changes (id) one entry; the lists and the app's names follow. */
export function useCatalogSave(kind: CatalogKind) {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id?: string; body: CatalogBody }) => {
      const api = client[kind] as unknown as {
        $post(a: { json: PostOf<CatalogKind> }): ReturnType<ApiClient["labels"]["$post"]>;
        ":id": {
          $patch(a: {
            param: { id: string };
            json: CatalogBody;
          }): ReturnType<ApiClient["labels"][":id"]["$patch"]>;
        };
      };
      return id
        ? unwrap(api[":id"].$patch({ param: { id }, json: body }))
        : unwrap(api.$post({ json: body as PostOf<CatalogKind> }));
    },
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: queryKeys.catalog(kind) }),
        queries.invalidateQueries({ queryKey: queryKeys.meta }),
      ]),
  });
}

export type PersonRow = InferResponseType<ApiClient["users"]["$get"], 200>[number];
export type PersonPatch = InferRequestType<ApiClient["users"][":id"]["$patch"]>["json"];
export type NewPerson = InferRequestType<ApiClient["users"]["$post"]>["json"];

/** The people in my scope matching `q`; the last answer stays shown while the next search runs. */
export function usePeople(q: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.people(q),
    staleTime: 0,
    queryFn: () => unwrap(client.users.$get({ query: { limit: "200", ...(q ? { q } : {}) } as never })),
    placeholderData: keepPreviousData,
  });
}

/** Changes a person (role, branch, active, skills, capacity): one request with what changed. */
export function usePersonChange() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PersonPatch }) =>
      unwrap(client.users[":id"].$patch({ param: { id }, json: body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: queryKeys.peopleAll }),
  });
}

/** Registers someone by Telegram id before they write to the bot. */
export function useAddPerson() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: NewPerson) => unwrap(client.users.$post({ json: body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: queryKeys.peopleAll }),
  });
}

export type AdminSettingsData = InferResponseType<ApiClient["settings"]["$get"], 200>;
export type SettingsPatch = InferRequestType<ApiClient["settings"]["$patch"]>["json"];

export function useAdminSettings() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.settings,
    queryFn: () => unwrap(client.settings.$get()),
    staleTime: 0,
  });
}

/** Saves the changed settings; the answer (all settings) becomes the cached copy. */
export function useSaveAdminSettings() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsPatch) => unwrap(client.settings.$patch({ json: body })),
    onSuccess: (fresh) => queries.setQueryData(queryKeys.settings, fresh),
  });
}

/**
 * Staff of the given roles (comma-separated), for a filter's list: the queue's assignee
 * (active only), the audit log's actor (anyone who may have changed something); [] while
 * unknown or refused. Under the people key, so a change to someone refreshes them too.
 */
export function useStaffPeople(roles: string, { active = false, enabled = true } = {}): PersonRow[] {
  const { client } = useApi();
  const people = useQuery({
    queryKey: queryKeys.staffPeople(active ? `${roles}:active` : roles),
    queryFn: () =>
      unwrap(
        client.users.$get({ query: { limit: "200", role: roles, ...(active ? { active: "true" } : {}) } }),
      ),
    enabled,
    retry: false,
  });
  return people.data ?? [];
}
