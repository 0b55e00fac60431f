-- Custom SQL migration: the functions and triggers that keep the report rollups
-- (Enum kinds are compared as text: on PostgreSQL all migrations run in one transaction,
-- and a value added by an earlier one may not be used as an enum literal before commit.)
-- (report_ticket_facts, report_rollup) exact; docs/REPORTS.md "Rollups".

-- Every fact of the tickets `ids`, days local to `tz`: the one definition both the
-- per-ticket refresh and the full rebuild use. The metrics follow the raw reports'
-- SQL (server/domain/reports/*.ts) row for row; a missing branch or SLA policy is the nil uuid.
create or replace function report_facts_of(ids uuid[], tz text)
returns table (ticket_id uuid, day date, metric text, n integer, total double precision,
               branch_id uuid, category_id uuid, priority text, sla_policy_id uuid)
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
  ), f (id, at, metric, total) as (
    select t.id, t.created_at, 'created', null::double precision from t
    union all
    -- Not finished now, on its opening day: "open now" is the sum over all days.
    select t.id, t.created_at, 'open', null from t where t.status in ('open', 'in_progress', 'waiting_customer')
    union all
    -- Unfinished and at risk or breached now (the SLA report's "now"), likewise.
    select t.id, t.created_at, 'sla_now:' || t.sla_state, null from t
    where t.sla_state in ('at_risk', 'breached') and t.status not in ('resolved', 'closed')
    union all
    select ev.ticket_id, ev.created_at, ev.to_value, null from ev
    where ev.kind = 'status' and ev.to_value in ('resolved', 'closed')
    union all
    select ev.ticket_id, ev.created_at, 'reopened', null from ev where ev.kind = 'reopen'
    union all
    select fin.ticket_id, fin.created_at, 'finish', null from fin
    union all
    select ev.ticket_id, ev.created_at, 'raised:' || ev.kind || ':' || coalesce(ev.to_value, ''), null from ev
    where ev.kind in ('sla_warning', 'sla_breach')
    union all
    select rated.ticket_id, rated.created_at, 'rated', rated.score::double precision from rated
    union all
    select rated.ticket_id, rated.created_at, 'score:' || rated.score, null from rated
    union all
    select fin.ticket_id, fin.created_at, 'dur:resolution', extract(epoch from fin.created_at - t.created_at)::double precision
    from fin join t on t.id = fin.ticket_id
    union all
    select t.id, t.first_response_at, 'dur:first_response',
           extract(epoch from t.first_response_at - t.created_at)::double precision
    from t where t.first_response_at is not null
    union all
    select t.id, (x.value->>'endedAt')::timestamptz, 'sla:' || x.key || ':' || (x.value->>'state'), null
    from t cross join lateral jsonb_each(case when jsonb_typeof(t.sla_clock->'targets') = 'object'
                                              then t.sla_clock->'targets' end) x
    where x.value ? 'endedAt'
  )
  select f.id, (f.at at time zone tz)::date, f.metric, 1, f.total, t.b, t.c, t.p, t.pol
  from f join t on t.id = f.id
$$;
--> statement-breakpoint
-- One ticket's facts rewritten from its rows now, and the difference added to the
-- rollup in one statement (key order, so two commits lock rollup rows in the same order).
-- The state row is read FOR KEY SHARE first: a rebuild holds it FOR UPDATE, so a refresh
-- waits for a rebuild to commit and then works on the rebuilt tables.
create or replace function report_rollup_refresh(tid uuid) returns void language plpgsql as $$
declare
  tz text;
begin
  select s.time_zone into tz from report_rollup_state s where s.id = 1 for key share;
  if tz is null then
    return;
  end if;
  with gone as (
    delete from report_ticket_facts f where f.ticket_id = tid returning f.*
  ), fresh as (
    insert into report_ticket_facts select * from report_facts_of(array[tid], tz) returning *
  ), diff as (
    select d.metric, d.day, d.branch_id, d.category_id, d.priority, d.sla_policy_id,
           sum(d.n) as n, sum(d.total) as total
    from (
      select o.metric, o.day, o.branch_id, o.category_id, o.priority, o.sla_policy_id,
             -o.n as n, -coalesce(o.total, 0) as total
      from gone o where o.metric not like 'dur:%'
      union all
      select w.metric, w.day, w.branch_id, w.category_id, w.priority, w.sla_policy_id, w.n, coalesce(w.total, 0)
      from fresh w where w.metric not like 'dur:%'
    ) d
    group by 1, 2, 3, 4, 5, 6
    having sum(d.n) <> 0 or sum(d.total) <> 0
  )
  insert into report_rollup as r (metric, day, branch_id, category_id, priority, sla_policy_id, n, total)
  select * from diff order by 1, 2, 3, 4, 5, 6
  on conflict (metric, day, branch_id, category_id, priority, sla_policy_id)
  do update set n = r.n + excluded.n, total = r.total + excluded.total;
end $$;
--> statement-breakpoint
-- Every fact and rollup row built again from the raw tables, for local days of `tz`
-- (`npm run reports:rollups`, and after a change of TIME_ZONE).
create or replace function report_rollup_rebuild(tz text) returns void language plpgsql as $$
declare
  ids uuid[];
begin
  insert into report_rollup_state (id, time_zone) values (1, tz) on conflict (id) do nothing;
  perform 1 from report_rollup_state where id = 1 for update;
  update report_rollup_state set time_zone = tz, built_at = now() where id = 1;
  delete from report_ticket_facts;
  delete from report_rollup;
  -- In batches of 20,000 tickets: each an index lookup per ticket, memory bounded.
  for ids in
    select array_agg(s.id) from (select id, (row_number() over (order by id) - 1) / 20000 as g from tickets) s
    group by s.g
  loop
    insert into report_ticket_facts select * from report_facts_of(ids, tz);
  end loop;
  insert into report_rollup (metric, day, branch_id, category_id, priority, sla_policy_id, n, total)
  select f.metric, f.day, f.branch_id, f.category_id, f.priority, f.sla_policy_id, sum(f.n), sum(coalesce(f.total, 0))
  from report_ticket_facts f where f.metric not like 'dur:%'
  group by 1, 2, 3, 4, 5, 6;
end $$;
--> statement-breakpoint
create or replace function report_rollup_touch() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'tickets' then
    perform report_rollup_refresh(case when tg_op = 'DELETE' then old.id else new.id end);
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform report_rollup_refresh(old.ticket_id);
  end if;
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.ticket_id is distinct from old.ticket_id) then
    perform report_rollup_refresh(new.ticket_id);
  end if;
  return null;
end $$;
--> statement-breakpoint
-- Deferred to the commit: the refresh reads the ticket as the transaction leaves it,
-- however many statements changed it, and a rolled back change never reaches the rollups.
create constraint trigger report_rollup_tickets_write after insert or delete on tickets
  deferrable initially deferred for each row execute function report_rollup_touch();
--> statement-breakpoint
create constraint trigger report_rollup_tickets_update after update on tickets
  deferrable initially deferred for each row
  when (old.created_at is distinct from new.created_at or old.branch_id is distinct from new.branch_id
        or old.category_id is distinct from new.category_id or old.priority is distinct from new.priority
        or old.sla_policy_id is distinct from new.sla_policy_id or old.status is distinct from new.status
        or old.sla_state is distinct from new.sla_state
        or old.first_response_at is distinct from new.first_response_at
        or old.sla_clock is distinct from new.sla_clock)
  execute function report_rollup_touch();
--> statement-breakpoint
create constraint trigger report_rollup_events_insert after insert on ticket_events
  deferrable initially deferred for each row
  when (new.kind::text in ('status', 'reopen', 'sla_warning', 'sla_breach'))
  execute function report_rollup_touch();
--> statement-breakpoint
create constraint trigger report_rollup_events_change after update or delete on ticket_events
  deferrable initially deferred for each row execute function report_rollup_touch();
--> statement-breakpoint
create constraint trigger report_rollup_ratings after insert or update or delete on ticket_ratings
  deferrable initially deferred for each row execute function report_rollup_touch();
--> statement-breakpoint
-- Built now for the default TIME_ZONE (Asia/Tehran); another zone is rebuilt at start.
select report_rollup_rebuild('Asia/Tehran');
