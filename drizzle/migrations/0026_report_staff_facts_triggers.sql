-- Custom SQL migration: the staff facts of the reports (report_responses,
-- report_agent_facts; docs/REPORTS.md "Staff facts"), the functions that compute them
-- from the raw rows and the triggers that keep them exact. Like the rollups of
-- migration 0022 they are one definition per table, rewritten per ticket at the
-- commit of any change that can move them, and rebuilt whole by
-- report_staff_facts_rebuild (called with report_rollup_rebuild). They follow the
-- raw SQL of server/domain/reports/timings.ts (next response) and agents.ts row for row.

-- Every next response of the tickets `ids`: public messages (no notes, no system
-- messages) numbered into turns by how many staff answers came before them; in each
-- turn after the first, the requester's earliest message to the staff answer that
-- ends it. Turn 0 is the first response, which tickets.first_response_at measures.
create or replace function report_responses_of(ids uuid[], tz text)
returns table (ticket_id uuid, responder_id uuid, started timestamptz, answered timestamptz, day date,
               secs double precision, branch_id uuid, category_id uuid, priority text)
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
         extract(epoch from pairs.answered - pairs.started)::double precision, t.b, t.c, t.p
  from pairs join t on t.id = pairs.ticket_id
  where pairs.started is not null and pairs.answered is not null
$$;
--> statement-breakpoint
-- Per staff member, ticket and local day: `replies` (public answers: not notes, not
-- system messages, not the requester's), `finishes` (finishes they made, the reports'
-- FINISH), `first_secs` (they wrote the ticket's first public staff answer; the first
-- response's seconds, on its day), `ratings` and `score_sum` (ratings on their day,
-- counted for the ticket's assignee now). `touched_before`: the previous day they
-- answered or finished the ticket, so a range counts a ticket once per member ("handled")
-- on the first day of the range they touched it, without a distinct over the rows.
create or replace function report_agent_facts_of(ids uuid[], tz text)
returns table (ticket_id uuid, user_id uuid, day date, replies integer, finishes integer, touched_before date,
               first_secs double precision, ratings integer, score_sum double precision,
               branch_id uuid, category_id uuid, priority text)
language sql stable as $$
  with t as (
    select tk.id, tk.requester_id, tk.assignee_id, tk.created_at, tk.first_response_at,
           coalesce(tk.branch_id, '00000000-0000-0000-0000-000000000000'::uuid) as b,
           tk.category_id as c, tk.priority::text as p
    from tickets tk where tk.id = any(ids)
  ), staff as (
    select msg.ticket_id, msg.author_id, msg.seq, msg.created_at
    from messages msg join t on t.id = msg.ticket_id
    where msg.ticket_id = any(ids) and not msg.is_internal and msg.source <> 'system'
      and msg.author_id <> t.requester_id
  ), f (ticket_id, user_id, at, kind, total) as (
    select staff.ticket_id, staff.author_id, staff.created_at, 'reply', null::double precision from staff
    union all
    select e.ticket_id, e.actor_id, e.created_at, 'finish', null from ticket_events e
    where e.ticket_id = any(ids) and e.actor_id is not null and e.kind::text = 'status'
      and e.to_value in ('resolved', 'closed') and coalesce(e.from_value, '') not in ('resolved', 'closed')
    union all
    select t.id, fr.author_id, t.first_response_at, 'first',
           extract(epoch from t.first_response_at - t.created_at)::double precision
    from t join (select distinct on (staff.ticket_id) staff.ticket_id, staff.author_id
                 from staff order by staff.ticket_id, staff.seq) fr on fr.ticket_id = t.id
    where t.first_response_at is not null
    union all
    select tr.ticket_id, t.assignee_id, tr.created_at, 'rated', tr.score::double precision
    from ticket_ratings tr join t on t.id = tr.ticket_id
    where t.assignee_id is not null
  ), d as (
    select f.ticket_id, f.user_id, (f.at at time zone tz)::date as day,
           count(*) filter (where f.kind = 'reply')::int as replies,
           count(*) filter (where f.kind = 'finish')::int as finishes,
           max(f.total) filter (where f.kind = 'first') as first_secs,
           count(*) filter (where f.kind = 'rated')::int as ratings,
           coalesce(sum(f.total) filter (where f.kind = 'rated'), 0)::double precision as score_sum
    from f group by 1, 2, 3
  )
  select d.ticket_id, d.user_id, d.day, d.replies, d.finishes,
         max(d.day) filter (where d.replies + d.finishes > 0)
           over (partition by d.ticket_id, d.user_id order by d.day rows between unbounded preceding and 1 preceding),
         d.first_secs, d.ratings, d.score_sum, t.b, t.c, t.p
  from d join t on t.id = d.ticket_id
$$;
--> statement-breakpoint
-- One ticket's staff facts rewritten from its rows now. Nothing is summed from them, so
-- unlike report_rollup_refresh there is no difference to add anywhere. The state row
-- is read FOR KEY SHARE: a rebuild holds it FOR UPDATE, so a refresh waits for it.
create or replace function report_staff_facts_refresh(tid uuid) returns void language plpgsql as $$
declare
  tz text;
begin
  select s.time_zone into tz from report_rollup_state s where s.id = 1 for key share;
  if tz is null then
    return;
  end if;
  delete from report_responses r where r.ticket_id = tid;
  insert into report_responses select * from report_responses_of(array[tid], tz);
  delete from report_agent_facts f where f.ticket_id = tid;
  insert into report_agent_facts select * from report_agent_facts_of(array[tid], tz);
end $$
-- One plan kept per session: planning the two functions' statements for each call
-- (custom plans) cost 1.8 ms a message under load, the kept plan 0.7 ms (docs/REPORTS.md).
set plan_cache_mode = force_generic_plan;
--> statement-breakpoint
-- Both tables built again from the raw rows for local days of `tz`, in batches of
-- 20,000 tickets taken in the order they were opened, so a day's rows lie together
-- (a month's report reads neighbouring pages, as rows written live do).
create or replace function report_staff_facts_rebuild(tz text) returns void language plpgsql as $$
declare
  ids uuid[];
begin
  perform 1 from report_rollup_state where id = 1 for update;
  delete from report_responses;
  delete from report_agent_facts;
  for ids in
    select array_agg(s.id) from (
      select id, (row_number() over (order by created_at, id) - 1) / 20000 as g from tickets) s
    group by s.g order by s.g
  loop
    insert into report_responses select * from report_responses_of(ids, tz) x order by x.day;
    insert into report_agent_facts select * from report_agent_facts_of(ids, tz) x order by x.day;
  end loop;
end $$;
--> statement-breakpoint
-- report_rollup_rebuild (migration 0022) again, with its batches taken in the order
-- tickets were opened and each batch's facts written in day order: a month's facts
-- then lie on neighbouring pages, as facts written live do, instead of across the
-- whole table (at a million tickets a month's first-response facts touched 49,586
-- buffers in id order, report_responses' as many rows 738 in this order).
create or replace function report_rollup_rebuild(tz text) returns void language plpgsql as $$
declare
  ids uuid[];
begin
  insert into report_rollup_state (id, time_zone) values (1, tz) on conflict (id) do nothing;
  perform 1 from report_rollup_state where id = 1 for update;
  update report_rollup_state set time_zone = tz, built_at = now() where id = 1;
  delete from report_ticket_facts;
  delete from report_rollup;
  for ids in
    select array_agg(s.id) from (
      select id, (row_number() over (order by created_at, id) - 1) / 20000 as g from tickets) s
    group by s.g order by s.g
  loop
    insert into report_ticket_facts select * from report_facts_of(ids, tz) x order by x.day;
  end loop;
  insert into report_rollup (metric, day, branch_id, category_id, priority, sla_policy_id, n, total)
  select f.metric, f.day, f.branch_id, f.category_id, f.priority, f.sla_policy_id, sum(f.n), sum(coalesce(f.total, 0))
  from report_ticket_facts f where f.metric not like 'dur:%'
  group by 1, 2, 3, 4, 5, 6;
end $$;
--> statement-breakpoint
create or replace function report_staff_facts_touch() returns trigger language plpgsql as $$
begin
  -- The requester's message that is the newest of its thread ends no turn and is no
  -- staff reply: it changes no fact until a staff answer follows, whose refresh reads
  -- it. Two index probes instead of a refresh, for half the messages of the bot's hot path.
  if tg_table_name = 'messages' and tg_op = 'INSERT' then
    if exists (select 1 from tickets t where t.id = new.ticket_id and t.requester_id = new.author_id)
       and not exists (select 1 from messages m where m.ticket_id = new.ticket_id and m.seq > new.seq) then
      return null;
    end if;
  end if;
  if tg_table_name = 'tickets' then
    perform report_staff_facts_refresh(case when tg_op = 'DELETE' then old.id else new.id end);
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform report_staff_facts_refresh(old.ticket_id);
  end if;
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.ticket_id is distinct from old.ticket_id) then
    perform report_staff_facts_refresh(new.ticket_id);
  end if;
  return null;
end $$;
--> statement-breakpoint
-- Deferred to the commit, as the rollups' triggers: the refresh sees the ticket as the
-- transaction leaves it, and a rolled back change never reaches the facts. A note or a
-- system message changes nothing, so inserting one fires nothing (the bot's hot path).
create constraint trigger report_staff_facts_messages_insert after insert on messages
  deferrable initially deferred for each row
  when (not new.is_internal and new.source <> 'system')
  execute function report_staff_facts_touch();
--> statement-breakpoint
create constraint trigger report_staff_facts_messages_delete after delete on messages
  deferrable initially deferred for each row
  when (not old.is_internal and old.source <> 'system')
  execute function report_staff_facts_touch();
--> statement-breakpoint
-- An edit changes the text only; these are the columns the facts read.
create constraint trigger report_staff_facts_messages_update after update on messages
  deferrable initially deferred for each row
  when (old.ticket_id is distinct from new.ticket_id or old.author_id is distinct from new.author_id
        or old.is_internal is distinct from new.is_internal or old.source is distinct from new.source
        or old.created_at is distinct from new.created_at or old.seq is distinct from new.seq)
  execute function report_staff_facts_touch();
--> statement-breakpoint
create constraint trigger report_staff_facts_tickets_write after insert or delete on tickets
  deferrable initially deferred for each row execute function report_staff_facts_touch();
--> statement-breakpoint
create constraint trigger report_staff_facts_tickets_update after update on tickets
  deferrable initially deferred for each row
  when (old.created_at is distinct from new.created_at or old.branch_id is distinct from new.branch_id
        or old.category_id is distinct from new.category_id or old.priority is distinct from new.priority
        or old.requester_id is distinct from new.requester_id or old.assignee_id is distinct from new.assignee_id
        or old.first_response_at is distinct from new.first_response_at)
  execute function report_staff_facts_touch();
--> statement-breakpoint
create constraint trigger report_staff_facts_events_insert after insert on ticket_events
  deferrable initially deferred for each row
  when (new.kind::text = 'status' and new.actor_id is not null)
  execute function report_staff_facts_touch();
--> statement-breakpoint
create constraint trigger report_staff_facts_events_change after update or delete on ticket_events
  deferrable initially deferred for each row execute function report_staff_facts_touch();
--> statement-breakpoint
create constraint trigger report_staff_facts_ratings after insert or update or delete on ticket_ratings
  deferrable initially deferred for each row execute function report_staff_facts_touch();
--> statement-breakpoint
-- Built now for the zone the rollups were built for (none yet: nothing to build).
select report_staff_facts_rebuild(s.time_zone) from report_rollup_state s where s.id = 1;
