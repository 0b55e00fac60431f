import { keepPreviousData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useApi } from "../../remote/api-context.js";
import { type QueueRow, unwrap } from "../../remote/client.js";
import { queryKeys } from "../../remote/query-client.js";

/**
 * The queue's list for one query: cursor pages (useInfiniteQuery), the next page
 * fetched when the end of the list scrolls into view, live changes applied without
 * moving someone scrolled past the first page, and a refresh (pull to refresh).
 */
export function useQueueList(params: Record<string, string>) {
  const { client } = useApi();
  const queries = useQueryClient();
  const listKey = queryKeys.list(JSON.stringify(params));
  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      unwrap(
        client.tickets.$get({ query: { ...params, ...(pageParam ? { cursor: pageParam } : {}) } as never }),
      ),
    initialPageParam: "",
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Fresh until a live event marks it stale (remote/live.ts); then the effect below decides.
    staleTime: Number.POSITIVE_INFINITY,
    // The rows of the view just left stay while the new one loads, shown as such
    // (`fromOtherView`): the screen does not blank, and they cannot be opened.
    placeholderData: keepPreviousData,
  });
  const pages = list.data?.pages.length ?? 0;
  // A live change while someone has scrolled past the first page does not pull the list
  // from under them: a button offers the fresh first page instead.
  const [changesWaiting, setChangesWaiting] = useState(false);
  const { isStale, isFetching, isSuccess, isPlaceholderData, refetch } = list;
  useEffect(() => {
    // Only a list that loaded and was since marked stale: a failed one waits for Retry
    // (it has no data, so it counts as stale too, and refetching it here would loop).
    if (!isSuccess || isPlaceholderData || !isStale || isFetching) return;
    if (pages > 1) setChangesWaiting(true);
    else void refetch();
  }, [isSuccess, isPlaceholderData, isStale, isFetching, pages, refetch]);
  /** Only the first page again (a reset drops the others): the rest loads as one scrolls. */
  const showLatest = useCallback(async () => {
    window.scrollTo({ top: 0 });
    setChangesWaiting(false);
    await queries.resetQueries({ queryKey: listKey, exact: true });
  }, [queries, listKey]);

  const items: QueueRow[] = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, fetchNextPage, isFetchingNextPage } = list;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || isPlaceholderData) return;
    const io = new IntersectionObserver(
      (entries) =>
        entries.some((e) => e.isIntersecting) && hasNextPage && !isFetchingNextPage && void fetchNextPage(),
      { rootMargin: "400px 0px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, isPlaceholderData]);

  return { list, items, sentinel, changesWaiting, showLatest, fromOtherView: isPlaceholderData };
}
