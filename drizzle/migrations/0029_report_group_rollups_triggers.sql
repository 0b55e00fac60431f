-- Custom SQL migration: the breakdowns by label and by channel from rollups
-- (docs/REPORTS.md "Label and channel rollups"). A ticket's channel becomes a stored
-- column kept by triggers on messages and tickets; report_group_facts and
-- report_group_rollup (migration 0028) hold each ticket's created, finish, open and
-- first-response facts once per label and once for its channel, rewritten by the
-- rollups' refresh (0022) from the ticket's fresh facts, and rebuilt with them.

-- A ticket's channel (server/domain/tickets/channel.ts): the source of its requester's
-- first public message, or 'none' when only the opening form exists. The one definition.
create or replace function ticket_requester_channel(tid uuid, requester uuid) returns text
language sql stable as $$
  select coalesce((select m.source from messages m
    where m.ticket_id = tid and m.author_id = requester and not m.is_internal
    order by m.seq limit 1), 'none')
$$;
--> statement-breakpoint
-- One ticket's stored channel set from its messages now; no write when it is already right.
create or replace function ticket_channel_refresh(tid uuid) returns void language sql as $$
  update tickets t set requester_channel = ticket_requester_channel(t.id, t.requester_id)
  where t.id = tid and t.requester_channel is distinct from ticket_requester_channel(t.id, t.requester_id)
$$;
--> statement-breakpoint
-- Every ticket's stored channel set from its messages (after a load without triggers).
create or replace function ticket_channels_backfill() returns void language sql as $$
  update tickets t set requester_channel = ticket_requester_channel(t.id, t.requester_id)
  where t.requester_channel is distinct from ticket_requester_channel(t.id, t.requester_id)
$$;
--> statement-breakpoint
create or replace function ticket_channel_touch() returns trigger language plpgsql as $$
begin
  -- A new message changes the channel only when it is the requester's first public one:
  -- a ticket lookup and one probe of the ticket's earlier messages on the bot's hot path,
  -- and a write only for that first message.
  if tg_op = 'INSERT' then
    if not exists (select 1 from tickets t where t.id = new.ticket_id and t.requester_id = new.author_id)
       or exists (select 1 from messages m where m.ticket_id = new.ticket_id and m.author_id = new.author_id
                  and not m.is_internal and m.seq < new.seq) then
      return null;
    end if;
    update tickets set requester_channel = new.source
    where id = new.ticket_id and requester_channel is distinct from new.source;
    return null;
  end if;
  perform ticket_channel_refresh(old.ticket_id);
  if tg_op = 'UPDATE' and new.ticket_id is distinct from old.ticket_id then
    perform ticket_channel_refresh(new.ticket_id);
  end if;
  return null;
end $$;
--> statement-breakpoint
-- Not deferred: the queue reads the channel in the same transaction. An internal note
-- never changes it, so inserting or deleting one fires nothing.
create trigger ticket_channel_messages_insert after insert on messages
  for each row when (not new.is_internal) execute function ticket_channel_touch();
--> statement-breakpoint
create trigger ticket_channel_messages_delete after delete on messages
  for each row when (not old.is_internal) execute function ticket_channel_touch();
--> statement-breakpoint
create trigger ticket_channel_messages_update after update on messages
  for each row
  when (old.ticket_id is distinct from new.ticket_id or old.author_id is distinct from new.author_id
        or old.is_internal is distinct from new.is_internal or old.source is distinct from new.source
        or old.seq is distinct from new.seq)
  execute function ticket_channel_touch();
--> statement-breakpoint
-- Another requester: the channel is where that person first wrote.
create or replace function ticket_channel_requester() returns trigger language plpgsql as $$
begin
  new.requester_channel := ticket_requester_channel(new.id, new.requester_id);
  return new;
end $$;
--> statement-breakpoint
create trigger ticket_channel_requester before update of requester_id on tickets
  for each row when (old.requester_id is distinct from new.requester_id)
  execute function ticket_channel_requester();
--> statement-breakpoint
-- The group facts of the tickets `ids`, from their rows in report_ticket_facts (so the
-- ticket's facts are refreshed first): each of its created, finish, open and
-- first-response facts under its channel, and under each of its labels ('' = none).
create or replace function report_group_facts_of(ids uuid[])
returns table (ticket_id uuid, dim text, key text, day date, metric text, n integer, total double precision,
               branch_id uuid, category_id uuid, priority text)
language sql stable as $$
  select f.ticket_id, g.dim, g.key, f.day, f.metric, f.n, f.total, f.branch_id, f.category_id, f.priority
  from report_ticket_facts f
  join tickets t on t.id = f.ticket_id
  cross join lateral (
    select 'channel'::text as dim, t.requester_channel as key
    union all
    select 'label', coalesce(tl.label_id::text, '') from (select 1) one
    left join ticket_labels tl on tl.ticket_id = t.id
  ) g
  where f.ticket_id = any(ids) and f.metric in ('created', 'finish', 'open', 'dur:first_response')
$$;
--> statement-breakpoint
-- One ticket's group facts rewritten and the difference added to report_group_rollup
-- in key order, as report_rollup_refresh does for report_rollup.
create or replace function report_group_refresh(tid uuid) returns void language plpgsql as $$
begin
  with gone as (
    delete from report_group_facts f where f.ticket_id = tid returning f.*
  ), fresh as (
    insert into report_group_facts select * from report_group_facts_of(array[tid]) returning *
  ), diff as (
    select d.dim, d.metric, d.day, d.key, d.branch_id, d.category_id, d.priority, sum(d.n) as n
    from (
      select o.dim, o.metric, o.day, o.key, o.branch_id, o.category_id, o.priority, -o.n as n
      from gone o where o.metric <> 'dur:first_response'
      union all
      select w.dim, w.metric, w.day, w.key, w.branch_id, w.category_id, w.priority, w.n
      from fresh w where w.metric <> 'dur:first_response'
    ) d
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(d.n) <> 0
  )
  insert into report_group_rollup as r (dim, metric, day, key, branch_id, category_id, priority, n)
  select * from diff order by 1, 2, 3, 4, 5, 6, 7
  on conflict (dim, metric, day, key, branch_id, category_id, priority) do update set n = r.n + excluded.n;
end $$;
--> statement-breakpoint
-- Both group tables built again from report_ticket_facts (built first) in one pass,
-- written in day order so a month's rows lie together.
create or replace function report_group_rebuild() returns void language plpgsql as $$
begin
  delete from report_group_facts;
  delete from report_group_rollup;
  insert into report_group_facts
  select x.* from (
    select f.ticket_id, 'channel'::text as dim, t.requester_channel as key, f.day, f.metric, f.n, f.total,
           f.branch_id, f.category_id, f.priority
    from report_ticket_facts f join tickets t on t.id = f.ticket_id
    where f.metric in ('created', 'finish', 'open', 'dur:first_response')
    union all
    select f.ticket_id, 'label', coalesce(tl.label_id::text, ''), f.day, f.metric, f.n, f.total,
           f.branch_id, f.category_id, f.priority
    from report_ticket_facts f left join ticket_labels tl on tl.ticket_id = f.ticket_id
    where f.metric in ('created', 'finish', 'open', 'dur:first_response')
  ) x order by x.day;
  insert into report_group_rollup (dim, metric, day, key, branch_id, category_id, priority, n)
  select f.dim, f.metric, f.day, f.key, f.branch_id, f.category_id, f.priority, sum(f.n)
  from report_group_facts f where f.metric <> 'dur:first_response'
  group by 1, 2, 3, 4, 5, 6, 7;
end $$;
--> statement-breakpoint
-- report_rollup_refresh (0022) again, now also rewriting the ticket's group facts.
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
end $$;
--> statement-breakpoint
-- report_rollup_rebuild (0026) again: the stored channels set right first (a load
-- without triggers), the group tables built after the ticket facts.
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
end $$;
--> statement-breakpoint
-- Existing tickets get their channel before the rollups' ticket trigger watches the
-- column, so the backfill queues no refresh per ticket.
select ticket_channels_backfill();
--> statement-breakpoint
drop trigger report_rollup_tickets_update on tickets;
--> statement-breakpoint
create constraint trigger report_rollup_tickets_update after update on tickets
  deferrable initially deferred for each row
  when (old.created_at is distinct from new.created_at or old.branch_id is distinct from new.branch_id
        or old.category_id is distinct from new.category_id or old.priority is distinct from new.priority
        or old.sla_policy_id is distinct from new.sla_policy_id or old.status is distinct from new.status
        or old.sla_state is distinct from new.sla_state
        or old.first_response_at is distinct from new.first_response_at
        or old.sla_clock is distinct from new.sla_clock
        or old.requester_channel is distinct from new.requester_channel)
  execute function report_rollup_touch();
--> statement-breakpoint
-- A label put on or taken off refreshes the ticket at commit, like its other changes.
create constraint trigger report_rollup_labels after insert or update or delete on ticket_labels
  deferrable initially deferred for each row execute function report_rollup_touch();
--> statement-breakpoint
-- Built now when the rollups are (from their facts, so no rebuild of those).
select report_group_rebuild() from report_rollup_state s where s.id = 1;
