-- Custom SQL migration: business seconds kept in the duration facts (docs/REPORTS.md
-- "Business hours"). Each calendar's working intervals lie in report_business_intervals
-- (written by the report_business_hours job from the SLA clocks' own workingIntervals),
-- so a duration's working time is C(end) - C(start) computed in SQL when its fact is
-- written: report_facts_of and report_responses_of gain a last column, `business`,
-- which the refreshes and rebuilds insert with `select *` as before.

-- An instant in epoch milliseconds, floored: as the server reads a row's two instants.
create or replace function report_business_ms(t timestamptz) returns bigint language sql stable as $$
  select floor(extract(epoch from t) * 1000)::bigint
$$;
--> statement-breakpoint
-- A duration's business seconds from s to e (ms) for a ticket of `branch` (nil uuid: none),
-- as the server counts them (server/domain/reports/business-hours.ts): the branch's own
-- calendar, else the default one; no calendar: wall time; an end not after the start: 0.
-- Null when the calendar's intervals do not cover [s, e] (not materialized yet, hours out
-- of order, or outside the span): the report counts those figures in the server.
-- PL/pgSQL keeps its plans per session: 24 us a call at a million tickets, where the same
-- as one SQL statement (a lateral join, not inlined) took 160 us.
create or replace function report_business_secs_ms(branch uuid, s bigint, e bigint)
returns double precision language plpgsql stable as $$
declare
  cal uuid;
  cs bigint;
  ce bigint;
begin
  select bc.id into cal from business_calendars bc
  where bc.branch_id = nullif(branch, '00000000-0000-0000-0000-000000000000'::uuid) or bc.branch_id is null
  order by bc.branch_id is null limit 1;
  if cal is null then
    return (e - s)::double precision / 1000;
  end if;
  if e <= s then
    return 0;
  end if;
  perform 1 from report_business_spans sp where sp.calendar_id = cal and sp.from_ms <= s and e <= sp.to_ms;
  if not found then
    return null;
  end if;
  -- C(t): the last interval starting at or before t, the working time before it and its part before t.
  select i.before_ms + least(e, i.ends_ms) - i.starts_ms into ce from report_business_intervals i
  where i.calendar_id = cal and i.starts_ms <= e order by i.starts_ms desc limit 1;
  select i.before_ms + least(s, i.ends_ms) - i.starts_ms into cs from report_business_intervals i
  where i.calendar_id = cal and i.starts_ms <= s order by i.starts_ms desc limit 1;
  return (coalesce(ce, 0) - coalesce(cs, 0))::double precision / 1000;
end $$;
--> statement-breakpoint
create or replace function report_business_secs(branch uuid, s timestamptz, e timestamptz)
returns double precision language plpgsql stable as $$
begin
  return report_business_secs_ms(branch, report_business_ms(s), report_business_ms(e));
end $$;
--> statement-breakpoint
-- The two definitions again with the business column (their return type changes).
drop function report_facts_of(uuid[], text);
--> statement-breakpoint
create or replace function report_facts_of(ids uuid[], tz text)
returns table (ticket_id uuid, day date, metric text, n integer, total double precision,
               branch_id uuid, category_id uuid, priority text, sla_policy_id uuid,
               business double precision)
language sql stable as $$
  with t as (
    select tk.id, tk.created_at, tk.first_response_at, tk.sla_clock, tk.status, tk.sla_state,
           coalesce(tk.branch_id, '00000000-0000-0000-0000-000000000000'::uuid) as b,
           tk.category_id as c, tk.priority::text as p,
           coalesce(tk.sla_policy_id, '00000000-0000-0000-0000-000000000000'::uuid) as pol
    from tickets tk where tk.id = any(ids)
  ), ev as (
    select e.ticket_id, e.seq, e.created_at, e.kind::text as kind, e.to_value,
           (e.kind::text = 'status' and e.to_value in ('resolved', 'closed')
            and coalesce(e.from_value, '') not in ('resolved', 'closed')) as finish
    from ticket_events e
    where e.ticket_id = any(ids) and e.kind::text in ('status', 'reopen', 'sla_warning', 'sla_breach')
  ), fin as (
    select ev.ticket_id, ev.created_at, row_number() over (partition by ev.ticket_id order by ev.seq) as k
    from ev where ev.finish
  ), rated as (
    select fin.ticket_id, fin.created_at, tr.score
    from fin join ticket_ratings tr on tr.ticket_id = fin.ticket_id and tr.resolution = fin.k
  ), f (id, at, metric, total, business) as (
    select t.id, t.created_at, 'created', null::double precision, null::double precision from t
    union all
    -- Not finished now, on its opening day: "open now" is the sum over all days.
    select t.id, t.created_at, 'open', null, null from t where t.status in ('open', 'in_progress', 'waiting_customer')
    union all
    -- Unfinished and at risk or breached now (the SLA report's "now"), likewise.
    select t.id, t.created_at, 'sla_now:' || t.sla_state, null, null from t
    where t.sla_state in ('at_risk', 'breached') and t.status not in ('resolved', 'closed')
    union all
    select ev.ticket_id, ev.created_at, ev.to_value, null, null from ev
    where ev.kind = 'status' and ev.to_value in ('resolved', 'closed')
    union all
    select ev.ticket_id, ev.created_at, 'reopened', null, null from ev where ev.kind = 'reopen'
    union all
    select fin.ticket_id, fin.created_at, 'finish', null, null from fin
    union all
    select ev.ticket_id, ev.created_at, 'raised:' || ev.kind || ':' || coalesce(ev.to_value, ''), null, null from ev
    where ev.kind in ('sla_warning', 'sla_breach')
    union all
    select rated.ticket_id, rated.created_at, 'rated', rated.score::double precision, null from rated
    union all
    select rated.ticket_id, rated.created_at, 'score:' || rated.score, null, null from rated
    union all
    select fin.ticket_id, fin.created_at, 'dur:resolution', extract(epoch from fin.created_at - t.created_at)::double precision,
           report_business_secs(t.b, t.created_at, fin.created_at)
    from fin join t on t.id = fin.ticket_id
    union all
    select t.id, t.first_response_at, 'dur:first_response',
           extract(epoch from t.first_response_at - t.created_at)::double precision,
           report_business_secs(t.b, t.created_at, t.first_response_at)
    from t where t.first_response_at is not null
    union all
    select t.id, (x.value->>'endedAt')::timestamptz, 'sla:' || x.key || ':' || (x.value->>'state'), null, null
    from t cross join lateral jsonb_each(case when jsonb_typeof(t.sla_clock->'targets') = 'object'
                                              then t.sla_clock->'targets' end) x
    where x.value ? 'endedAt'
  )
  select f.id, (f.at at time zone tz)::date, f.metric, 1, f.total, t.b, t.c, t.p, t.pol, f.business
  from f join t on t.id = f.id
$$;
--> statement-breakpoint
drop function report_responses_of(uuid[], text);
--> statement-breakpoint
create or replace function report_responses_of(ids uuid[], tz text)
returns table (ticket_id uuid, responder_id uuid, started timestamptz, answered timestamptz, day date,
               secs double precision, branch_id uuid, category_id uuid, priority text,
               business double precision)
language sql stable as $$
  with t as (
    select tk.id, tk.requester_id,
           coalesce(tk.branch_id, '00000000-0000-0000-0000-000000000000'::uuid) as b,
           tk.category_id as c, tk.priority::text as p
    from tickets tk where tk.id = any(ids)
  ), m as (
    select msg.ticket_id, msg.seq, msg.created_at, msg.author_id, msg.author_id = t.requester_id as from_requester
    from messages msg join t on t.id = msg.ticket_id
    where msg.ticket_id = any(ids) and not msg.is_internal and msg.source <> 'system'
  ), turns as (
    select m.*, sum(case when m.from_requester then 0 else 1 end) over (partition by m.ticket_id order by m.seq)
                - case when m.from_requester then 0 else 1 end as turn
    from m
  ), pairs as (
    -- A turn holds one staff message at most: the answer that ends it.
    select turns.ticket_id, min(turns.created_at) filter (where turns.from_requester) as started,
           min(turns.created_at) filter (where not turns.from_requester) as answered,
           (array_agg(turns.author_id) filter (where not turns.from_requester))[1] as responder
    from turns where turns.turn >= 1 group by turns.ticket_id, turns.turn
  )
  select pairs.ticket_id, pairs.responder, pairs.started, pairs.answered, (pairs.answered at time zone tz)::date,
         extract(epoch from pairs.answered - pairs.started)::double precision, t.b, t.c, t.p,
         report_business_secs(t.b, pairs.started, pairs.answered)
  from pairs join t on t.id = pairs.ticket_id
  where pairs.started is not null and pairs.answered is not null
$$;
--> statement-breakpoint
-- The job's step over a batch of tickets: their durations' business seconds computed
-- again (after a calendar change, or a wider span), only rows whose value changes
-- written. A duration fact keeps no instants: its end is the ticket's opening plus its
-- exact seconds (`total` holds microseconds exactly: under 2^53 for 31 years).
create or replace function report_business_recompute(ids uuid[]) returns void language sql as $$
  with d as (
    select f.ctid as row_id, report_business_secs_ms(f.branch_id, x.s_us / 1000,
             (x.s_us + round(f.total * 1000000)::bigint) / 1000) as secs
    from report_ticket_facts f
    join tickets t on t.id = f.ticket_id
    cross join lateral (select (extract(epoch from t.created_at) * 1000000)::bigint as s_us) x
    where f.ticket_id = any(ids) and f.metric in ('dur:first_response', 'dur:resolution')
  )
  update report_ticket_facts f set business = d.secs
  from d where f.ctid = d.row_id and f.business is distinct from d.secs;
  with d as (
    select r.ctid as row_id, report_business_secs(r.branch_id, r.started, r.answered) as secs
    from report_responses r where r.ticket_id = any(ids)
  )
  update report_responses r set business = d.secs
  from d where r.ctid = d.row_id and r.business is distinct from d.secs;
$$;
--> statement-breakpoint
-- Any change to the calendars (a hand edit, a branch's deletion cascading to its
-- calendar, the admin's verbs) makes the stored business seconds stale: the intervals
-- go, `ready` is cleared so the report counts in the server, and the generation moves
-- on so a job still walking the old one stops. The verbs queue the job that rebuilds.
create or replace function report_business_invalidate() returns trigger language plpgsql as $$
begin
  delete from report_business_intervals;
  delete from report_business_spans;
  -- An update only: a restore truncates every table in one statement (this trigger then
  -- finds no row) and loads the state row from the backup.
  update report_business_state set ready = false, generation = generation + 1 where id = 1;
  return null;
end $$;
--> statement-breakpoint
create trigger report_business_calendars after insert or update or delete or truncate on business_calendars
  for each statement execute function report_business_invalidate();
--> statement-breakpoint
insert into report_business_state (id, ready, generation) values (1, false, 0) on conflict (id) do nothing;
