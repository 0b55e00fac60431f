import { useCallback, useState } from "react";
import { canWork, useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import {
  useSendMessage,
  useTicketChange,
  useTicketData,
  useTicketIdByNumber,
} from "../../remote/ticket-queries.js";
import { ErrorRetry, errorText, ScreenSkeleton } from "../../states.js";
import { haptic } from "../../telegram.js";
import { LiveChatBar, useLiveChat } from "../live/LiveChatBar.js";
import { TicketRating } from "../ticket-rating.js";
import { Composer } from "./composer.js";
import { Thread } from "./thread.js";
import { TicketHeader } from "./ticket-header.js";

/**
 * One ticket as a chat: the compact header (controls one tap away), the conversation
 * opened at its latest message, and the composer pinned at the bottom. Opened by id
 * (from a list) or by number (a `startapp=t_<number>` deep link).
 */
export function TicketScreen({ id, number }: { id?: string; number?: string }) {
  const { back } = useApp();
  const byNumber = useTicketIdByNumber(id ? undefined : number);
  if (id) return <TicketById id={id} />;
  if (byNumber.isPending) return <ScreenSkeleton />;
  if (byNumber.isError) return <ErrorRetry error={byNumber.error} onRetry={() => void byNumber.refetch()} />;
  if (!byNumber.data)
    return (
      <div className="page">
        <p className="error" role="alert">
          {t("deeplink.not_found", { number })}
        </p>
        <button type="button" className="secondary" onClick={back}>
          {t("chat.to_queue")}
        </button>
      </div>
    );
  return <TicketById id={byNumber.data} />;
}

function TicketById({ id }: { id: string }) {
  const { me, lang } = useApp();
  const { detail, thread, history, choices } = useTicketData(id, me);
  const [fileError, setFileError] = useState<string | null>(null);
  const ticket = detail.data?.data;
  const changer = useTicketChange(id, detail.data?.etag ?? null);
  const sender = useSendMessage(id, me.firstName, me.id);
  const change = useCallback(
    (path: string, body: unknown) =>
      changer.mutate({ path, body }, { onSuccess: () => haptic("success"), onError: () => haptic("error") }),
    [changer],
  );
  const send = useCallback(
    async (input: Parameters<typeof sender.mutateAsync>[0]) => {
      await sender.mutateAsync(input);
    },
    [sender],
  );
  // A ticket of channel live is a live chat: its state, the other side's typing, ours sent.
  const live = useLiveChat(id, ticket?.channel === "live", thread.data?.length);
  // A change refused (a stale screen, 412) says so until the next one.
  const changeError = changer.error ? errorText(changer.error) : null;

  if (detail.isError) return <ErrorRetry error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!ticket) return <ScreenSkeleton />;
  const worker = canWork(me);
  const mine = ticket.requesterId === me.id;
  const statusChoices = choices.data?.statuses ?? [];
  return (
    <div className="page ticket-screen">
      <TicketHeader
        ticket={ticket}
        choices={choices.data ?? null}
        history={history.data ?? []}
        change={change}
        busy={changer.isPending || sender.isPending}
      />
      <LiveChatBar live={live} />
      {changeError && (
        <p className="error" role="alert">
          {changeError}
        </p>
      )}
      {fileError && (
        <p className="error" role="alert">
          {fileError}
        </p>
      )}
      <TicketRating ticket={ticket} mine={mine} onRated={() => void detail.refetch()} />
      {thread.isError ? (
        <ErrorRetry error={thread.error} onRetry={() => void thread.refetch()} />
      ) : thread.data ? (
        <Thread
          messages={thread.data}
          requesterId={ticket.requesterId}
          opening={{
            body: ticket.description,
            files: ticket.attachments ?? [],
            author: ticket.requester?.firstName ?? null,
            at: ticket.createdAt,
          }}
          lang={lang}
          onError={setFileError}
          ticketId={id}
          meId={me.id}
        />
      ) : (
        <ScreenSkeleton />
      )}
      {(worker || mine) && (
        <Composer
          ticketId={id}
          worker={worker}
          canResolve={statusChoices.includes("resolved")}
          sending={sender.isPending}
          onSend={send}
          onTyping={live.onTyping}
        />
      )}
    </div>
  );
}
