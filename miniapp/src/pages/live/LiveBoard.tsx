import { useState } from "react";
import { t } from "../../i18n.js";
import type { LiveBoardData, LiveChat } from "../../remote/live-queries.js";

/**
 * The supervisors' view: the queue in order with positions, the chats being
 * talked with their operator (take over, or transfer to someone online), and
 * who is online or busy with their load.
 */
export function LiveBoard({
  board,
  canMove,
  onMove,
}: {
  board: LiveBoardData;
  canMove: boolean;
  onMove(chat: LiveChat, verb: "takeover" | "transfer", operatorId?: string): void;
}) {
  const [target, setTarget] = useState<Record<string, string>>({});
  const nameOf = (id: string | null) => {
    const s = board.staff.find((p) => p.id === id);
    return s ? [s.firstName, s.lastName].filter(Boolean).join(" ") : "—";
  };
  const waiting = board.chats.filter((c) => c.state !== "active");
  const talking = board.chats.filter((c) => c.state === "active");
  return (
    <section className="live-board">
      <h2>{t("live.queue", { count: waiting.length })}</h2>
      <ul className="list" data-live-queue>
        {waiting.map((c) => (
          <li key={c.id} data-queued={c.id}>
            <span>
              {c.position ? `#${c.position}` : t("live.offered_to", { name: nameOf(c.offeredTo) })} ·{" "}
              {c.ticketNumber} · {c.requesterName}
            </span>
            {canMove && (
              <button type="button" className="secondary" onClick={() => onMove(c, "takeover")}>
                {t("live.take_over")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h2>{t("live.talking", { count: talking.length })}</h2>
      <ul className="list">
        {talking.map((c) => (
          <li key={c.id}>
            <span>
              {c.ticketNumber} · {c.requesterName} ↔ {nameOf(c.operatorId)}
            </span>
            {canMove && (
              <>
                <button type="button" className="secondary" onClick={() => onMove(c, "takeover")}>
                  {t("live.take_over")}
                </button>
                <select
                  aria-label={t("live.transfer_to")}
                  value={target[c.id] ?? ""}
                  onChange={(e) => setTarget({ ...target, [c.id]: e.target.value })}
                >
                  <option value="">{t("live.transfer_to")}</option>
                  {board.staff
                    .filter((s) => s.id !== c.operatorId)
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {[s.firstName, s.lastName].filter(Boolean).join(" ")}
                      </option>
                    ))}
                </select>
                <button
                  type="button"
                  disabled={!target[c.id]}
                  onClick={() => onMove(c, "transfer", target[c.id])}
                >
                  {t("live.transfer")}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <h2>{t("live.online_staff")}</h2>
      <ul className="list" data-live-staff>
        {board.staff.map((s) => (
          <li key={s.id}>
            {s.presence === "online" ? "🟢" : "🟡"} {[s.firstName, s.lastName].filter(Boolean).join(" ")} ·{" "}
            {t("live.load", { load: s.load, capacity: s.capacity })}
          </li>
        ))}
      </ul>
    </section>
  );
}
