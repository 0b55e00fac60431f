import type { DbOrTx } from "../../../drizzle/client.js";
import { scheduleJob } from "../schedule/jobs.js";

/**
 * Asks for every open ticket's SLA due times to be computed again, in the
 * caller's transaction: after a policy or calendar edit. The scheduler's
 * sla_recalc job walks the open tickets in batches (a million tickets never sit
 * in one transaction); asking again while one waits just moves it to now.
 */
export async function scheduleSlaRecalc(tx: DbOrTx, now: Date): Promise<void> {
  await scheduleJob(tx, { kind: "sla_recalc", key: "sla_recalc", runAt: now, payload: {} });
}
