import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type SlaClock, scheduledJobs, tickets } from "../../../drizzle/schema/index.js";
import { type ClockReading, dueColumns } from "./clock.js";

/** One ticket's clock as it is to be stored. */
export interface SlaWrite {
  ticketId: string;
  clock: SlaClock;
  policyId: string | null;
  reading: ClockReading;
}

/** The ticket columns a write sets (the caller's row, brought up to date without reading it again). */
export function slaColumns(w: SlaWrite) {
  return { slaClock: w.clock, slaPolicyId: w.policyId, slaState: w.reading.state, ...dueColumns(w.reading) };
}

/**
 * Stores clocks, in the caller's transaction, in one statement however many: each
 * ticket's clock, policy, state and due columns, and its one sla_check job (key
 * `sla:<ticket id>`) moved
 * to the clock's next check (a new job revived, or cancelled when nothing is left
 * to raise). One ticket's change and the recalculation's batch of 500 both write
 * here.
 */
export async function writeSlaClocks(tx: DbOrTx, writes: SlaWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const rows = writes.map((w) => {
    const due = dueColumns(w.reading);
    return {
      id: w.ticketId,
      clock: w.clock,
      policy: w.policyId,
      state: w.reading.state,
      fr: due.firstResponseDueAt,
      nr: due.nextResponseDueAt,
      res: due.resolutionDueAt,
      check_at: w.reading.nextCheckAt,
    };
  });
  await tx.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as v(id uuid, clock jsonb, policy uuid, state text, fr timestamptz, nr timestamptz, res timestamptz, check_at timestamptz)
    ), stored as (
      update ${tickets} t set sla_clock = v.clock, sla_policy_id = v.policy, sla_state = v.state,
        first_response_due_at = v.fr, next_response_due_at = v.nr, resolution_due_at = v.res
      from v where t.id = v.id
    ), scheduled as (
      insert into ${scheduledJobs} (kind, key, run_at, payload)
      select 'sla_check', 'sla:' || v.id, v.check_at, jsonb_build_object('ticketId', v.id) from v
      where v.check_at is not null
      on conflict (key) do update set run_at = excluded.run_at, payload = excluded.payload, state = 'pending',
        lease_until = null, attempts = 0, last_error = null, finished_at = null, created_at = now()
    )
    update ${scheduledJobs} set state = 'cancelled', finished_at = now()
    where key in (select 'sla:' || v.id from v where v.check_at is null) and state = 'pending'`);
}
