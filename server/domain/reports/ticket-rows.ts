import { type AnyColumn, and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { branches, categories, type LocalizedText, tickets, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isStaffReader } from "../permissions.js";
import { afterCursor, SORT_KEYS, ticketListConditions } from "../tickets/list.js";
import { listTicketsSchema } from "../tickets/schemas.js";
import { validatedInput } from "./parse.js";
import type { ReportColumn } from "./tables.js";

/** The ticket list export's columns (the same keys as reports' tables). */
export const TICKET_EXPORT_COLUMNS: ReportColumn[] = [
  { key: "number", type: "text" },
  { key: "title", type: "text" },
  { key: "status", type: "text" },
  { key: "priority", type: "text" },
  { key: "category", type: "name" },
  { key: "branch", type: "name" },
  { key: "requester", type: "text" },
  { key: "assignee", type: "text" },
  { key: "labels", type: "text" },
  { key: "slaState", type: "text" },
  { key: "createdAt", type: "instant" },
  { key: "firstResponseAt", type: "instant" },
  { key: "resolvedAt", type: "instant" },
  { key: "closedAt", type: "instant" },
  { key: "rating", type: "number" },
];

export interface TicketExportRow {
  id: string;
  number: string;
  title: string;
  status: string;
  priority: string;
  category: LocalizedText | null;
  branch: LocalizedText | null;
  requester: string;
  assignee: string | null;
  labels: string | null;
  slaState: string;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  rating: number | null;
}

const assignee = alias(users, "assignee");
const nameOf = (u: { firstName: AnyColumn; lastName: AnyColumn }) =>
  sql<string>`trim(${u.firstName} || ' ' || coalesce(${u.lastName}, ''))`;

/**
 * The queue's tickets (GET /api/tickets' filters and sort, in scope; staff only) in
 * batches, walked by keyset so a million rows are never held at once: each batch
 * continues after the last row of the one before.
 */
export async function* walkTicketsForExport({
  ctx,
  input,
  batchSize = 1000,
}: {
  ctx: ServiceContext;
  input?: unknown;
  batchSize?: number;
}): AsyncGenerator<TicketExportRow[]> {
  if (!isStaffReader(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "reports.tickets_export" });
  const f = validatedInput(listTicketsSchema, input);
  const { cols, dir } = SORT_KEYS[f.sort];
  const keyCols = [...cols, tickets.id];
  const order = keyCols.map((c) => (dir === "desc" ? desc(c) : asc(c)));
  const base = ticketListConditions(ctx, f);
  let after: string[] | null = null;
  for (;;) {
    const where = after ? [...base, afterCursor(keyCols, dir, after)] : base;
    const rows: TicketExportRow[] = await ctx.db
      .select({
        id: tickets.id,
        number: tickets.number,
        title: tickets.title,
        status: tickets.status,
        priority: tickets.priority,
        category: categories.name,
        branch: branches.name,
        requester: nameOf(users),
        assignee: sql<string | null>`case when ${assignee.id} is null then null else ${nameOf(assignee)} end`,
        labels: sql<string | null>`(select string_agg(l.name, ', ' order by l.name) from ticket_labels tl
          join labels l on l.id = tl.label_id where tl.ticket_id = ${tickets.id})`,
        slaState: tickets.slaState,
        createdAt: tickets.createdAt,
        updatedAt: tickets.updatedAt,
        firstResponseAt: tickets.firstResponseAt,
        resolvedAt: tickets.resolvedAt,
        closedAt: tickets.closedAt,
        rating: tickets.rating,
      })
      .from(tickets)
      .innerJoin(users, eq(users.id, tickets.requesterId))
      .leftJoin(categories, eq(categories.id, tickets.categoryId))
      .leftJoin(branches, eq(branches.id, tickets.branchId))
      .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
      .where(and(...where))
      .orderBy(...order)
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    const iso = (d: Date) => d.toISOString();
    after =
      f.sort === "priority_desc"
        ? [last.priority, iso(last.createdAt), last.id]
        : f.sort.startsWith("updated")
          ? [iso(last.updatedAt), last.id]
          : [iso(last.createdAt), last.id];
  }
}
