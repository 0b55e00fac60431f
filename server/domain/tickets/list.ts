import { type AnyColumn, and, asc, desc, eq, gte, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import { PRIORITIES, type Ticket, ticketLabels, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { ticketScopeFilter } from "../permissions.js";
import { parseInput } from "../validate.js";
import { ownTicketsFirstPage } from "./own-tickets.js";
import { listTicketsSchema } from "./schemas.js";
import { ticketSearchCondition } from "./search-filter.js";
import { searchTickets } from "./search-page.js";
import { type WithSla, withSla } from "./sla-field.js";
import { slaFilterConditions } from "./sla-filter.js";

export interface TicketPage {
  /** `sla` is null for a requester (sla-field.ts). */
  items: WithSla<Ticket>[];
  nextCursor: string | null;
}

export type Sort = (typeof listTicketsSchema)["shape"]["sort"]["_output"];

/** Sort keys: always ending in id so the order is total and cursors are exact. */
export const SORT_KEYS: Record<Sort, { cols: AnyColumn[]; dir: "asc" | "desc" }> = {
  updated_desc: { cols: [tickets.updatedAt], dir: "desc" },
  updated_asc: { cols: [tickets.updatedAt], dir: "asc" },
  created_desc: { cols: [tickets.createdAt], dir: "desc" },
  created_asc: { cols: [tickets.createdAt], dir: "asc" },
  priority_desc: { cols: [tickets.priority, tickets.createdAt], dir: "desc" },
};

/**
 * The queue: filtered, sorted, keyset-paginated, and always limited to what the
 * actor may see (requesters their own tickets, staff their scope).
 */
export async function listTickets({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<TicketPage> {
  const f = parseInput(listTicketsSchema, input ?? {});
  const own = await ownTicketsFirstPage(ctx, f);
  if (own) return page(ctx, own, f);
  const { cols, dir } = SORT_KEYS[f.sort];
  const keyCols = [...cols, tickets.id];
  const filters = ticketFilterConditions(ctx, f);
  if (f.cursor) filters.push(afterCursor(keyCols, dir, decodeCursor(f.cursor, keyCols)));
  const order = keyCols.map((c) => (dir === "desc" ? desc(c) : asc(c)));
  const select = (where: (SQL | undefined)[]) =>
    ctx.db
      .select()
      .from(tickets)
      .where(and(...where))
      .orderBy(...order)
      .limit(f.limit + 1);

  if (f.q) {
    const want = f.limit + 1;
    return page(ctx, await searchTickets({ ctx, q: f.q, filters, want, select, order }), f);
  }
  return page(ctx, await select(filters), f);
}

export type TicketListFilters = (typeof listTicketsSchema)["_output"];

/**
 * The queue's filters as SQL, always inside the actor's scope: the list pages with
 * them, and the ticket export (reports) walks the same rows.
 */
export function ticketListConditions(ctx: ServiceContext, f: TicketListFilters): (SQL | undefined)[] {
  const where = ticketFilterConditions(ctx, f);
  if (f.q) where.push(ticketSearchCondition(ctx.actor, f.q));
  return where;
}

/** Every filter but the search, always inside the actor's scope. */
function ticketFilterConditions(ctx: ServiceContext, f: TicketListFilters): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [ticketScopeFilter(ctx.actor)];
  if (f.status?.length) where.push(inArray(tickets.status, f.status));
  if (f.priority?.length) where.push(inArray(tickets.priority, f.priority));
  if (f.categoryId?.length) where.push(inArray(tickets.categoryId, f.categoryId));
  if (f.branchId?.length) where.push(inArray(tickets.branchId, f.branchId));
  if (f.assigneeId === "none") where.push(isNull(tickets.assigneeId));
  else if (f.assigneeId) where.push(eq(tickets.assigneeId, f.assigneeId));
  if (f.requesterId) where.push(eq(tickets.requesterId, f.requesterId));
  if (f.createdFrom) where.push(gte(tickets.createdAt, f.createdFrom));
  if (f.createdTo) where.push(lte(tickets.createdAt, f.createdTo));
  if (f.labelId?.length) {
    where.push(
      inArray(
        tickets.id,
        ctx.db
          .select({ id: ticketLabels.ticketId })
          .from(ticketLabels)
          .where(inArray(ticketLabels.labelId, f.labelId)),
      ),
    );
  }
  if (f.channel?.length) where.push(inArray(tickets.requesterChannel, f.channel));
  where.push(...slaFilterConditions(ctx.actor, ctx.clock.now(), f));
  return where;
}

/** A page of the rows read (one more than the limit, to know whether more follow). */
function page(ctx: ServiceContext, rows: Ticket[], f: { limit: number; sort: Sort }): TicketPage {
  const items = rows.slice(0, f.limit).map((t) => withSla(ctx, t));
  const last = items.at(-1);
  const nextCursor = rows.length > f.limit && last ? encodeCursor(keyValues(last, f.sort)) : null;
  return { items, nextCursor };
}

function keyValues(t: Ticket, sort: Sort): string[] {
  const iso = (d: Date) => d.toISOString();
  switch (sort) {
    case "updated_desc":
    case "updated_asc":
      return [iso(t.updatedAt), t.id];
    case "created_desc":
    case "created_asc":
      return [iso(t.createdAt), t.id];
    case "priority_desc":
      return [t.priority, iso(t.createdAt), t.id];
  }
}

/** Row-value comparison: (a, b, id) < (x, y, z) continues exactly after the last row. */
export function afterCursor(cols: AnyColumn[], dir: "asc" | "desc", values: string[]): SQL {
  const left = sql.join(
    cols.map((c) => sql`${c}`),
    sql`, `,
  );
  const right = sql.join(
    cols.map((c, i) => sql`${values[i]}::${sql.raw(castOf(c))}`),
    sql`, `,
  );
  return dir === "desc" ? sql`(${left}) < (${right})` : sql`(${left}) > (${right})`;
}

const castOf = (c: AnyColumn) =>
  c === tickets.priority ? "priority" : c === tickets.id ? "uuid" : "timestamptz";

/** A cursor value must parse as its column's type, or the database would refuse it with a 500. */
function validCursorValue(c: AnyColumn, v: unknown): v is string {
  if (typeof v !== "string") return false;
  const cast = castOf(c);
  if (cast === "priority") return (PRIORITIES as readonly string[]).includes(v);
  if (cast === "uuid") return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
  return !Number.isNaN(Date.parse(v));
}

const encodeCursor = (values: string[]) => Buffer.from(JSON.stringify(values)).toString("base64url");

function decodeCursor(cursor: string, cols: AnyColumn[]): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(values) &&
      values.length === cols.length &&
      values.every((v, i) => validCursorValue(cols[i], v))
    ) {
      return values;
    }
  } catch {
    // fall through to the validation error below
  }
  throw new DomainError("VALIDATION", {}, [
    { path: "cursor", code: "invalid_cursor", message: "invalid_cursor" },
  ]);
}
