import type { Sql } from "postgres";

/**
 * What bench:api measures against: N tickets with three messages each (in Persian,
 * English or Russian, so search meets all three), spread
 * over eight branches, a third of them assigned to one of each branch's agents,
 * one in ten labelled. Returns the people the bench acts as: an agent and a
 * moderator of branch 1 (their queues pass the scope filter, as most staff's
 * do) and an admin (no scope filter).
 */
export async function seedBenchData(sql: Sql, n: number) {
  const BRANCHES = 8;
  const AGENTS_PER_BRANCH = 5;
  await sql`
    insert into branches (code, name)
    select 'b' || b, jsonb_build_object('fa', 'شعبه ' || b, 'en', 'Branch ' || b)
    from generate_series(1, ${BRANCHES}) b`;
  const branchIds = (await sql`select id from branches order by code`).map((r) => r.id as string);
  await sql`
    insert into users (telegram_id, first_name, role, branch_id)
    select 5000000 + g, 'Requester ' || g, 'requester', (${branchIds} :: uuid[])[1 + g % ${BRANCHES}]
    from generate_series(1, 2000) g`;
  await sql`
    insert into users (telegram_id, first_name, role, branch_id)
    select 4000000 + g, 'Agent ' || g, 'agent', (${branchIds} :: uuid[])[1 + g % ${BRANCHES}]
    from generate_series(0, ${BRANCHES * AGENTS_PER_BRANCH - 1}) g`;
  await sql`insert into users (telegram_id, first_name, role) values (4999999, 'Bench admin', 'admin')`;
  await sql`
    insert into users (telegram_id, first_name, role, branch_id)
    values (4999998, 'Bench moderator', 'moderator', ${branchIds[0]})`;
  await sql`insert into labels (name, color) select 'label ' || g, '#9E9E9E' from generate_series(1, 6) g`;

  // Loaded without the tables' triggers: the reports' facts and rollups (deferred
  // refreshes of every ticket at commit held the load for tens of minutes at a million
  // tickets) and the stored requester channel. This bench reads neither: the reports
  // stay empty and every ticket's channel is "none". Search reads the columns themselves.
  for (const table of ["tickets", "ticket_labels", "messages"])
    await sql.unsafe(`alter table ${table} disable trigger user`);
  // Ticket g is in branch 1 + g % 8; its title, status, priority, category and whether it is
  // assigned (a third are, to one of the branch's agents: telegram ids 4000000 + k with
  // k % 8 = the branch's index) come from hashes of g, so that they are independent of the
  // branch and of each other, as in life (plain g % n would tie them together).
  await sql`
    insert into tickets (number, title, description, status, priority, category_id, requester_id,
                         branch_id, assignee_id, created_at, updated_at)
    select 'T-BENCH-' || lpad(g::text, 8, '0'),
           (array['Printer','VPN','Wi-Fi','Projector','Laptop','Email','Keyboard','Licence'])[1 + abs(hashtext(g || 't')) % 8] || ' problem ' || g,
           'Details of request ' || g || ' in room ' || (g % 300),
           (array['open','in_progress','waiting_customer','resolved','closed'])[1 + abs(hashtext(g || 's')) % 5]::ticket_status,
           (array['low','normal','high','critical'])[1 + abs(hashtext(g || 'p')) % 4]::priority,
           (select id from categories order by sort_order limit 1 offset (abs(hashtext(g || 'c')) % 4)),
           r.id, (${branchIds} :: uuid[])[1 + g % ${BRANCHES}],
           case when abs(hashtext(g || 'a')) % 3 = 0 then a.id end,
           now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
    from generate_series(1, ${n}) g
    join users r on r.telegram_id = 5000000 + 1 + (g % 2000)
    left join users a on a.telegram_id = 4000000 + (g % ${BRANCHES}) + ${BRANCHES} * ((g / ${BRANCHES}) % ${AGENTS_PER_BRANCH})`;
  await sql`
    insert into ticket_labels (ticket_id, label_id)
    select t.id, (select id from labels order by name limit 1 offset (abs(hashtext(t.number)) % 6))
    from tickets t where abs(hashtext(t.number)) % 10 = 0`;
  await sql`
    insert into messages (ticket_id, author_id, body, created_at)
    select t.id, t.requester_id,
           'Message ' || m || ' on ' || t.number || ': ' ||
           (array['پرینتر طبقه دوم کار نمی‌کند', 'کلاس ۳۰۴ پروژکتور ندارد', 'Refund for invoice ' || (t.number || m),
                  'Пароль не подходит'])[1 + abs(hashtext(t.number || m)) % 4],
           t.created_at + (m || ' minutes')::interval
    from tickets t, generate_series(1, 3) m`;
  for (const table of ["tickets", "ticket_labels", "messages"])
    await sql.unsafe(`alter table ${table} enable trigger user`);
  await sql`analyze`;
  return benchActors(sql);
}

/** The people and ids the scenarios act with, read back from a seeded database (also one kept by --keep). */
export async function benchActors(sql: Sql) {
  const branchIds = (await sql`select id from branches order by code`).map((r) => r.id as string);
  const [{ id: adminId }] = await sql`select id from users where telegram_id = 4999999`;
  const [{ id: moderatorId }] = await sql`select id from users where telegram_id = 4999998`;
  // The agent who has the most tickets of branch 1, so "Mine" is a real list.
  const [{ id: agentId }] = await sql`
    select assignee_id as id from tickets
    where branch_id = ${branchIds[0]} and assignee_id is not null
    group by assignee_id order by count(*) desc limit 1`;
  const [{ id: labelId }] = await sql`select id from labels order by name limit 1`;
  const [{ id: categoryId }] = await sql`select id from categories order by sort_order limit 1`;
  return { adminId, moderatorId, agentId, homeBranchId: branchIds[0], labelId, categoryId };
}

/** Ticket ids drawn at random from all of one branch's tickets, not only the newest. */
export async function sampleTicketIds(sql: Sql, branchId: string, count: number): Promise<string[]> {
  const rows = await sql`
    select id from tickets where branch_id = ${branchId} order by random() limit ${count}`;
  return rows.map((r) => r.id as string);
}
