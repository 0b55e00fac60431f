import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { rowsOf } from "../delivery/budget.js";
import type { ReportRange } from "./scope.js";

/**
 * The report rollups (docs/REPORTS.md "Rollups"): `report_ticket_facts` holds each
 * ticket's contribution to the figures per local day, `report_rollup` their sums per
 * day, metric, branch, category, priority and SLA policy. Database triggers rewrite a
 * ticket's facts at the commit of any change to it, its history or its ratings
 * (migration `report_rollups_triggers`), so the rollups always equal the raw rows.
 */

/** A missing branch or SLA policy in the rollups' keys. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The time zone the rollups' days are local days of; null when never built. */
export async function rollupTimeZone(db: DbOrTx): Promise<string | null> {
  const [row] = rowsOf<{ time_zone: string }>(
    await db.execute(sql`select time_zone from report_rollup_state where id = 1`),
  );
  return row?.time_zone ?? null;
}

/** Every fact and rollup row built again from the raw tables, days local to `timeZone`. */
export async function rebuildReportRollups(db: DbOrTx, timeZone: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`select report_rollup_rebuild(${timeZone})`);
    await tx.execute(sql`select report_staff_facts_rebuild(${timeZone})`);
  });
}

/** At start: rebuilt when TIME_ZONE is not the zone they were built for (true when it was). */
export async function ensureReportRollups(db: DbOrTx, timeZone: string): Promise<boolean> {
  if ((await rollupTimeZone(db)) === timeZone) return false;
  await rebuildReportRollups(db, timeZone);
  return true;
}

/**
 * Where a report reads its figures from: the rollups when they are built for this
 * time zone, else null and the report reads the raw rows. With a label filter every
 * table is its label-keyed copy (docs/REPORTS.md "Label filter"): `report_label_rollup`,
 * `report_label_facts`, `report_label_responses`, `report_label_agent_facts`, the
 * label's rows only. A staff member with a branch sees that branch and the tickets they
 * filed themselves: the branch's rollup rows plus the facts of their own tickets in
 * other branches (a handful).
 */
export interface RollupSource {
  /** Summed rows (metric, day, n, total, branch_id, category_id, priority, sla_policy_id). */
  counts(where: SQL): SQL;
  /** Fact rows, one per measured duration (total: seconds) or counted fact; `columns` of `x` instead. */
  facts(where: SQL, columns?: SQL): SQL;
  /** Rows of the staff facts (`report_responses`, `report_agent_facts`) in the same scope: `x.*`. */
  staff(table: "report_responses" | "report_agent_facts", where: SQL): SQL;
  /**
   * The label and channel groups (docs/REPORTS.md "Label and channel rollups"):
   * `counts` sums of `report_group_rollup`, `facts` rows of `report_group_facts`; both
   * with columns dim, metric, day, key, branch_id, category_id, priority, n, total.
   */
  groups(kind: "counts" | "facts", where: SQL): SQL;
}

/** The tables read without a label filter, and their label-keyed copies with one. */
const TABLES = {
  counts: ["report_rollup", "report_label_rollup"],
  facts: ["report_ticket_facts", "report_label_facts"],
  report_responses: ["report_responses", "report_label_responses"],
  report_agent_facts: ["report_agent_facts", "report_label_agent_facts"],
} as const;

/**
 * With a label filter, the groups of the label's tickets from their label facts, which
 * carry the ticket's channel and all its labels: a ticket's rows under each of its
 * labels (the raw breakdown counts a ticket under every label it has), or under its
 * channel. Read from facts, not sums: the label's rows of a range and its open
 * tickets, not the whole table.
 */
const labelGroups = (label: string) => sql`(
  select 'label'::text as dim, k.id::text as key, l.*
  from report_label_facts l cross join unnest(l.labels) k(id)
  where l.label_id = ${label}::uuid
  union all
  select 'channel'::text as dim, l.channel as key, l.*
  from report_label_facts l
  where l.label_id = ${label}::uuid)`;

export async function rollupSource(db: DbOrTx, r: ReportRange): Promise<RollupSource | null> {
  if ((await rollupTimeZone(db)) !== r.timeZone) return null;
  const { scopeBranch, me } = r.rollupScope;
  const { branchId, categoryId, priority, labelId } = r.filters;
  const table = (kind: keyof typeof TABLES): SQL => sql`${sql.identifier(TABLES[kind][labelId ? 1 : 0])}`;
  const dims = sql.join(
    [
      sql`true`,
      labelId ? sql`x.label_id = ${labelId}::uuid` : undefined,
      branchId ? sql`x.branch_id = ${branchId}::uuid` : undefined,
      categoryId ? sql`x.category_id = ${categoryId}::uuid` : undefined,
      priority ? sql`x.priority = ${priority}` : undefined,
    ].filter((c): c is SQL => c !== undefined),
    sql` and `,
  );
  // Tickets a branch's staff member filed in other branches: read from their facts.
  const ownElsewhere = (where: SQL, from = table("facts"), columns?: SQL) =>
    scopeBranch && me
      ? sql` union all select ${
          columns ??
          sql`x.metric, x.day, x.n, coalesce(x.total, 0) as total, x.branch_id, x.category_id,
               x.priority, x.sla_policy_id`
        }
             from ${from} x
             where ${where} and ${dims} and x.ticket_id in (
               select t.id from tickets t where t.requester_id = ${me}::uuid
                 and t.branch_id is distinct from ${scopeBranch}::uuid)`
      : sql``;
  const branchOnly = scopeBranch ? sql`x.branch_id = ${scopeBranch}::uuid` : sql`true`;
  return {
    counts: (where) => sql`
      select x.metric, x.day, x.n, x.total, x.branch_id, x.category_id, x.priority, x.sla_policy_id
      from ${table("counts")} x where ${where} and ${dims} and ${branchOnly} ${ownElsewhere(where)}`,
    facts: (where, columns) => sql`
      select ${
        columns ??
        sql`x.metric, x.day, x.n, coalesce(x.total, 0) as total, x.branch_id, x.category_id, x.priority,
             x.sla_policy_id`
      }
      from ${table("facts")} x where ${where} and ${dims} and ${branchOnly} ${ownElsewhere(where, table("facts"), columns)}`,
    staff: (kind, where) => sql`
      select x.* from ${table(kind)} x where ${where} and ${dims} and ${branchOnly}
      ${ownElsewhere(where, table(kind), sql`x.*`)}`,
    groups: (kind, where) => {
      const columns = sql`x.dim, x.metric, x.day, x.key, x.branch_id, x.category_id, x.priority, x.n`;
      if (labelId) {
        const from = labelGroups(labelId);
        return sql`
      select ${columns}, coalesce(x.total, 0) as total from ${from} x where ${where} and ${dims} and ${branchOnly}
      ${ownElsewhere(where, from, sql`${columns}, coalesce(x.total, 0)`)}`;
      }
      const total = kind === "counts" ? sql`0::double precision` : sql`x.total`;
      return sql`
      select ${columns}, ${total} as total
      from ${kind === "counts" ? sql`report_group_rollup` : sql`report_group_facts`} x
      where ${where} and ${dims} and ${branchOnly}
      ${ownElsewhere(where, sql`report_group_facts`, sql`${columns}, x.total`)}`;
    },
  };
}

/** "This rollup row's local day is in the report's range" (x: the rollup or fact row). */
export const rollupDays = (r: ReportRange): SQL =>
  sql`x.day >= ${r.fromDay}::date and x.day <= ${r.toDay}::date`;
