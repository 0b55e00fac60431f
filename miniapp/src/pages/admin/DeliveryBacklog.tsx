import type { InferResponseType } from "hono/client";
import { useApp } from "../../app-context.js";
import { formatDate, formatNumber, localName, personLabel } from "../../format.js";
import { t } from "../../i18n.js";
import { type ApiClient, unwrap } from "../../remote/client.js";
import { queryKeys } from "../../remote/query-client.js";
import { useResource } from "../../remote/resource.js";
import { ErrorRetry, ListSkeleton } from "../../states.js";

type ChatBacklog = InferResponseType<ApiClient["notifications"]["backlog"]["$get"], 200>[number];

/**
 * A backlog drains (or grows) without any ticket changing, so no live event
 * announces it: the screen looks again this often while it is open.
 */
const REFRESH_MS = 15_000;

/** How long a chat has waited, in the largest unit that says it (2 h 5 min, 7 min, 40 s). */
export function formatLag(seconds: number, lang: string): string {
  const n = (v: number) => formatNumber(v, lang);
  if (seconds < 60) return t("delivery.seconds", { n: n(seconds) });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t("delivery.minutes", { n: n(minutes) });
  return t("delivery.hours", { h: n(Math.floor(minutes / 60)), m: n(minutes % 60) });
}

/** The chat as an admin knows it: the person, the branch's staff chat, the main staff chat. */
function chatLabel(c: ChatBacklog, lang: string): string {
  if (c.user) return personLabel(c.user);
  if (c.branch) return t("delivery.branch_chat", { name: localName(c.branch.name, lang) });
  if (c.mainStaffChat) return t("delivery.staff_chat");
  return t("delivery.chat", { id: c.chatId });
}

/** Admins: the chats notifications are waiting for, longest wait first (GET /api/notifications/backlog). */
export function DeliveryBacklog() {
  const { lang } = useApp();
  const backlog = useResource(
    queryKeys.deliveryBacklog,
    (client) => unwrap(client.notifications.backlog.$get()),
    { refetchInterval: REFRESH_MS, staleTime: 0 },
  );
  const chats = backlog.data;
  return (
    <div className="page delivery">
      <h2>{t("delivery.title")}</h2>
      {backlog.isError && <ErrorRetry error={backlog.error} onRetry={() => void backlog.refetch()} />}
      {backlog.isPending && <ListSkeleton rows={3} />}
      {chats?.length === 0 && <p className="hint delivery-empty">{t("delivery.empty")}</p>}
      {chats && chats.length > 0 && <p className="hint">{t("delivery.explain")}</p>}
      <ul className="list">
        {chats?.map((c) => (
          <li
            key={c.chatId}
            className={c.behind ? "delivery-row behind" : "delivery-row"}
            data-chat-id={c.chatId}
          >
            <span className="row-main">
              <span className="row-title">{chatLabel(c, lang)}</span>
              <span className="row-sub">
                {c.isGroup ? t("delivery.group") : t("delivery.private")} ·{" "}
                {t("delivery.queued", { n: formatNumber(c.queued, lang) })}
                {c.pausedUntil && ` · ${t("delivery.paused", { time: formatDate(c.pausedUntil, lang) })}`}
              </span>
            </span>
            <span className="delivery-lag" title={t("delivery.lag")}>
              {c.behind && "⚠ "}
              {formatLag(c.lagSeconds, lang)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
