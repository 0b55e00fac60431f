import { sql } from "drizzle-orm";
import type { Ticket } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { rowsOf } from "../delivery/budget.js";
import { canSeeInternal } from "../permissions.js";
import { foldedColumnContains, snippetAround } from "../search.js";
import { parseInput } from "../validate.js";
import { listTickets, type TicketPage } from "./list.js";
import { listTicketsSchema } from "./schemas.js";
import { notesHiddenFrom } from "./search-filter.js";
import type { WithSla } from "./sla-field.js";

/** A person as a queue row shows them. */
export interface RowPerson {
  id: string;
  name: string;
  username: string | null;
}

/** What a queue row shows beyond the ticket itself, so a glance is enough to triage. */
export interface QueueRowExtras {
  requester: RowPerson;
  /** Null when unassigned, and always for a requester's own list (staff names stay with staff). */
  assignee: RowPerson | null;
  /** The newest message the reader may see: its start on one line, when, and whether the requester wrote it. */
  lastMessage: { snippet: string; at: Date; fromRequester: boolean; internal: boolean } | null;
  /** Since when the requester has waited for staff (open or in progress, unanswered); null: not waiting. */
  waitingSince: Date | null;
  /** Messages by others since the reader last opened the thread (at most 99). */
  unread: number;
  /** With a search: where the words were found, around them. */
  match: string | null;
}

export type QueueRow = WithSla<Ticket> & QueueRowExtras;

/** GET /api/tickets: the queue's page with what each row shows (listTickets, plus one statement). */
export async function listQueueRows({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<{ items: QueueRow[]; nextCursor: string | null }> {
  const f = parseInput(listTicketsSchema, input ?? {});
  const page: TicketPage = await listTickets({ ctx, input: f });
  if (page.items.length === 0) return { items: [], nextCursor: page.nextCursor };
  const extras = await rowExtras(ctx, page.items, f.q);
  return { items: page.items.map((t) => ({ ...t, ...extras.get(t.id)! })), nextCursor: page.nextCursor };
}

const SNIPPET = 140;

async function rowExtras(ctx: ServiceContext, rows: Ticket[], q: string | undefined) {
  const staff = canSeeInternal(ctx.actor);
  const visible = (alias: string) => notesHiddenFrom(ctx.actor, alias);
  const me = ctx.actor.id; // null for the system, which reads no thread as a person
  const ids = rows.map((t) => t.id);
  const matchBody = q
    ? sql`(select left(m.body, 2000) from messages m where m.ticket_id = t.id${visible("m")}
         and ${foldedColumnContains(sql`m.body_fold`, q)} order by m.seq desc limit 1)`
    : sql`null`;
  const result = await ctx.db.execute(sql`
    select t.id,
      r.first_name as r_first, r.last_name as r_last, r.username as r_user,
      a.id as a_id, a.first_name as a_first, a.last_name as a_last, a.username as a_user,
      lm.body as lm_body, lm.created_at as lm_at, lm.author_id = t.requester_id as lm_requester,
      lm.is_internal as lm_internal,
      (select count(*) from (select 1 from messages u where u.ticket_id = t.id${visible("u")}
         and u.seq > coalesce(rd.last_seq, 0) and u.author_id is distinct from ${me}::uuid limit 99) c) as unread,
      case when t.status in ('open', 'in_progress') then
        case when t.first_response_at is null then t.created_at
        else (select min(w.created_at) from messages w
              where w.ticket_id = t.id and w.author_id = t.requester_id and not w.is_internal
                and w.seq > coalesce((select max(s.seq) from messages s where s.ticket_id = t.id
                  and s.author_id <> t.requester_id and not s.is_internal and s.source <> 'system'), 0))
        end
      end as waiting_since,
      ${matchBody} as match_body
    from tickets t
    join users r on r.id = t.requester_id
    left join users a on a.id = t.assignee_id
    left join ticket_reads rd on rd.ticket_id = t.id and rd.user_id = ${me}::uuid
    left join lateral (select m.body, m.created_at, m.author_id, m.is_internal from messages m
      where m.ticket_id = t.id${visible("m")} order by m.seq desc limit 1) lm on true
    where t.id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`);
  const byId = new Map<string, QueueRowExtras>();
  const ticketsById = new Map(rows.map((t) => [t.id, t]));
  for (const raw of rowsOf<Record<string, unknown>>(result)) {
    const t = ticketsById.get(raw.id as string)!;
    byId.set(t.id, {
      requester: person(t.requesterId, raw.r_first, raw.r_last, raw.r_user),
      assignee: staff && raw.a_id ? person(raw.a_id as string, raw.a_first, raw.a_last, raw.a_user) : null,
      lastMessage: raw.lm_at
        ? {
            snippet: oneLine(String(raw.lm_body ?? ""), SNIPPET),
            at: new Date(raw.lm_at as string),
            fromRequester: Boolean(raw.lm_requester),
            internal: Boolean(raw.lm_internal),
          }
        : null,
      waitingSince: raw.waiting_since ? new Date(raw.waiting_since as string) : null,
      unread: Number(raw.unread ?? 0),
      match: q ? matchOf(t, raw.match_body as string | null, q) : null,
    });
  }
  return byId;
}

function person(id: string, first: unknown, last: unknown, username: unknown): RowPerson {
  const name = [first, last].filter((s) => typeof s === "string" && s.trim()).join(" ");
  return { id, name, username: typeof username === "string" ? username : null };
}

const oneLine = (s: string, max: number) => {
  const line = s.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The search's words in context: a message that has them, else the description, else the title. */
function matchOf(t: Ticket, body: string | null, q: string): string | null {
  return (
    (body && snippetAround(body, q)) ?? snippetAround(t.description, q) ?? snippetAround(t.title, q) ?? null
  );
}
