-- Custom SQL migration: every report with a label filter from label-keyed facts
-- (docs/REPORTS.md "Label filter"). report_label_facts, report_label_rollup,
-- report_label_responses and report_label_agent_facts (migration 0030) hold a
-- labelled ticket's rows of report_ticket_facts, report_responses and
-- report_agent_facts once under each of its labels. The rollups' refresh (0029) and
-- the staff facts' refresh (0026) rewrite them from the ticket's fresh rows at commit;
-- the rebuilds build them after the tables they copy.

-- One ticket's label facts rewritten from its rows in report_ticket_facts (refreshed
-- first), each with the ticket's channel and all its labels (for the breakdowns by
-- channel and by label with a label filter), and the difference added to report_label_rollup in key order, as
-- report_rollup_refresh does for report_rollup. An unlabelled ticket writes nothing.
create or replace function report_label_refresh(tid uuid) returns void language plpgsql as $$
begin
  with gone as (
    delete from report_label_facts f where f.ticket_id = tid returning f.*
  ), fresh as (
    insert into report_label_facts (label_id, ticket_id, day, metric, n, total, branch_id, category_id,
                                    priority, sla_policy_id, channel, labels)
    select l.label_id, f.ticket_id, f.day, f.metric, f.n, f.total, f.branch_id, f.category_id, f.priority,
           f.sla_policy_id, t.requester_channel, g.labels
    from (select array_agg(tl.label_id order by tl.label_id) as labels from ticket_labels tl
          where tl.ticket_id = tid having count(*) > 0) g
    cross join unnest(g.labels) l(label_id)
    join report_ticket_facts f on f.ticket_id = tid
    join tickets t on t.id = tid
    returning *
  ), diff as (
    select d.label_id, d.metric, d.day, d.branch_id, d.category_id, d.priority, d.sla_policy_id,
           sum(d.n) as n, sum(d.total) as total
    from (
      select o.label_id, o.metric, o.day, o.branch_id, o.category_id, o.priority, o.sla_policy_id,
             -o.n as n, -coalesce(o.total, 0) as total
      from gone o where o.metric not like 'dur:%'
      union all
      select w.label_id, w.metric, w.day, w.branch_id, w.category_id, w.priority, w.sla_policy_id, w.n,
             coalesce(w.total, 0)
      from fresh w where w.metric not like 'dur:%'
    ) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(d.n) <> 0 or sum(d.total) <> 0
  )
  insert into report_label_rollup as r (label_id, metric, day, branch_id, category_id, priority, sla_policy_id, n, total)
  select * from diff order by 1, 2, 3, 4, 5, 6, 7
  on conflict (label_id, metric, day, branch_id, category_id, priority, sla_policy_id)
  do update set n = r.n + excluded.n, total = r.total + excluded.total;
end $$;
--> statement-breakpoint
-- Both label tables of the rollups built again from report_ticket_facts (built
-- first), written in day order so a month's rows lie together.
create or replace function report_label_rebuild() returns void language plpgsql as $$
begin
  delete from report_label_facts;
  delete from report_label_rollup;
  insert into report_label_facts (label_id, ticket_id, day, metric, n, total, branch_id, category_id,
                                  priority, sla_policy_id, channel, labels)
  select l.label_id, f.ticket_id, f.day, f.metric, f.n, f.total, f.branch_id, f.category_id, f.priority,
         f.sla_policy_id, t.requester_channel, g.labels
  from (select tl.ticket_id, array_agg(tl.label_id order by tl.label_id) as labels from ticket_labels tl
        group by tl.ticket_id) g
  cross join unnest(g.labels) l(label_id)
  join report_ticket_facts f on f.ticket_id = g.ticket_id
  join tickets t on t.id = g.ticket_id
  order by f.day;
  insert into report_label_rollup (label_id, metric, day, branch_id, category_id, priority, sla_policy_id, n, total)
  select f.label_id, f.metric, f.day, f.branch_id, f.category_id, f.priority, f.sla_policy_id, sum(f.n),
         sum(coalesce(f.total, 0))
  from report_label_facts f where f.metric not like 'dur:%'
  group by 1, 2, 3, 4, 5, 6, 7;
end $$;
--> statement-breakpoint
-- The label copies of the staff facts built again from report_responses and
-- report_agent_facts (built first), in day order.
create or replace function report_label_staff_rebuild() returns void language plpgsql as $$
begin
  delete from report_label_responses;
  delete from report_label_agent_facts;
  insert into report_label_responses (label_id, ticket_id, responder_id, started, answered, day, secs, branch_id,
                                      category_id, priority)
  select tl.label_id, r.ticket_id, r.responder_id, r.started, r.answered, r.day, r.secs, r.branch_id,
         r.category_id, r.priority
  from report_responses r join ticket_labels tl on tl.ticket_id = r.ticket_id
  order by r.day;
  insert into report_label_agent_facts (label_id, ticket_id, user_id, day, replies, finishes, touched_before,
                                        first_secs, ratings, score_sum, branch_id, category_id, priority)
  select tl.label_id, f.ticket_id, f.user_id, f.day, f.replies, f.finishes, f.touched_before, f.first_secs,
         f.ratings, f.score_sum, f.branch_id, f.category_id, f.priority
  from report_agent_facts f join ticket_labels tl on tl.ticket_id = f.ticket_id
  order by f.day;
end $$;
--> statement-breakpoint
-- report_rollup_refresh (0029) again, now also rewriting the ticket's label facts.
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
  perform report_group_refresh(tid);
  perform report_label_refresh(tid);
end $$;
--> statement-breakpoint
-- report_rollup_rebuild (0029) again, ending with the label tables.
create or replace function report_rollup_rebuild(tz text) returns void language plpgsql as $$
declare
  ids uuid[];
begin
  insert into report_rollup_state (id, time_zone) values (1, tz) on conflict (id) do nothing;
  perform 1 from report_rollup_state where id = 1 for update;
  update report_rollup_state set time_zone = tz, built_at = now() where id = 1;
  perform ticket_channels_backfill();
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
  perform report_group_rebuild();
  perform report_label_rebuild();
end $$;
--> statement-breakpoint
-- report_staff_facts_refresh (0026) again, now also rewriting the ticket's label copies.
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
  -- The label copies: an unlabelled ticket has none and writes none.
  delete from report_label_responses r where r.ticket_id = tid;
  insert into report_label_responses (label_id, ticket_id, responder_id, started, answered, day, secs, branch_id,
                                      category_id, priority)
  select tl.label_id, r.ticket_id, r.responder_id, r.started, r.answered, r.day, r.secs, r.branch_id,
         r.category_id, r.priority
  from report_responses r join ticket_labels tl on tl.ticket_id = r.ticket_id
  where r.ticket_id = tid;
  delete from report_label_agent_facts f where f.ticket_id = tid;
  insert into report_label_agent_facts (label_id, ticket_id, user_id, day, replies, finishes, touched_before,
                                        first_secs, ratings, score_sum, branch_id, category_id, priority)
  select tl.label_id, f.ticket_id, f.user_id, f.day, f.replies, f.finishes, f.touched_before, f.first_secs,
         f.ratings, f.score_sum, f.branch_id, f.category_id, f.priority
  from report_agent_facts f join ticket_labels tl on tl.ticket_id = f.ticket_id
  where f.ticket_id = tid;
end $$
set plan_cache_mode = force_generic_plan;
--> statement-breakpoint
-- report_staff_facts_rebuild (0026) again, ending with the label copies.
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
  perform report_label_staff_rebuild();
end $$;
--> statement-breakpoint
-- A label put on or taken off rewrites the ticket's staff facts' label copies at
-- commit (the rollups' refresh already runs for it: trigger report_rollup_labels, 0029).
create constraint trigger report_staff_facts_labels after insert or update or delete on ticket_labels
  deferrable initially deferred for each row execute function report_staff_facts_touch();
--> statement-breakpoint
-- Built now when the rollups are.
select report_label_rebuild() from report_rollup_state s where s.id = 1;
--> statement-breakpoint
select report_label_staff_rebuild() from report_rollup_state s where s.id = 1;
