import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { ChangeEvent, ChangeNotifier } from "../domain/context.js";
import type { Logger } from "../logger.js";
import type { ChangeBus } from "./bus.js";

const CHANNEL = "helpdesk_changes";

/**
 * Shares committed changes between instances on one PostgreSQL: each change is
 * published to the local bus and sent with NOTIFY; changes NOTIFY brings from
 * other instances go to the local bus only (never sent on again). Returns the
 * notifier the domain should use.
 */
export async function relayChangesThroughPostgres(
  sql: postgres.Sql,
  bus: ChangeBus,
  logger: Logger,
): Promise<ChangeNotifier & { close(): Promise<void> }> {
  const origin = randomUUID();
  const listener = await sql.listen(CHANNEL, (payload) => {
    try {
      const message = JSON.parse(payload) as { origin: string; event: ChangeEvent };
      if (message.origin !== origin) bus.changed(message.event);
    } catch (err) {
      logger.warn({ err }, "ignored a malformed change notification");
    }
  });
  return {
    changed(event) {
      bus.changed(event);
      sql.notify(CHANNEL, JSON.stringify({ origin, event })).catch((err) => {
        // Other instances miss a live update; their workers still poll the outbox.
        logger.warn({ err }, "could not publish a change to other instances");
      });
    },
    close: () => listener.unlisten(),
  };
}
