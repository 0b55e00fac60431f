import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * Every route of /api/openapi.json with random path parameters, queries, bodies
 * (JSON of any shape, the route's own field names with wrong types, huge strings,
 * broken UTF-8, not JSON at all) and callers (admin, agent, requester, nobody, a
 * forged token): never a 5xx, and a refused request writes nothing. The regular
 * suite runs a small seed-fixed sample; `npm run fuzz` runs FUZZ_RUNS (10,000) with
 * a fresh seed and prints the figures.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// Fixed in the regular suite; a fresh one per `npm run fuzz` (printed, to replay a failure).
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 19));

const world = setupTestWorld();
const api = setupApi(world, { dataDir: "/tmp/helpdesk-fuzz-api" });

interface Operation {
  method: string;
  path: string;
  query: string[];
  fields: string[];
}
let operations: Operation[] = [];
const tokens: Record<string, string> = {};
let ticketId = "";

/** Rows a request could write, counted in one statement (a refused request must leave it). */
async function writes(): Promise<string> {
  const result: unknown = await world().db.execute(sql`select concat_ws(',',
    (select count(*) from tickets), (select max(updated_at)::text from tickets),
    (select count(*) from messages), (select count(*) from ticket_events),
    (select count(*) from audit_log), (select count(*) from notifications),
    (select count(*) from attachments), (select count(*) from users),
    (select max(updated_at)::text from users), (select count(*) from labels),
    (select count(*) from categories), (select count(*) from branches),
    (select count(*) from canned_replies), (select count(*) from automation_rules),
    (select count(*) from sla_policies), (select count(*) from settings)) as v`);
  const rows = (Array.isArray(result) ? result : (result as { rows: { v: string }[] }).rows) as {
    v: string;
  }[];
  return rows[0].v;
}

beforeAll(async () => {
  const w = world();
  for (const [role, tg] of [
    ["admin", 971_001],
    ["agent", 971_002],
    ["requester", 971_003],
  ] as const) {
    const session = await api().login(tg);
    tokens[role] = session.accessToken;
    await w.db.execute(sql`update ${users} set role = ${role} where id = ${session.user.id}`);
  }
  const requester = await w.user("requester");
  ticketId = (
    await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Fuzzed", body: "A ticket the fuzzer may find", categoryId: await w.categoryId() },
    })
  ).id;
  const doc = (await (await api().app.request("/api/openapi.json")).json()) as {
    paths: Record<
      string,
      Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>
    >;
  };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      fields: fieldsOf(op.requestBody),
    })),
  );
});

/** The property names anywhere in a request body's schema: bodies that look nearly right. */
function fieldsOf(schema: unknown): string[] {
  const names = new Set<string>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== "object") return;
    const props = (v as { properties?: Record<string, unknown> }).properties;
    if (props) for (const k of Object.keys(props)) names.add(k);
    for (const child of Object.values(v)) walk(child);
  };
  walk(schema);
  return [...names];
}

const huge = "ي".repeat(70_000);
const junk = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.constantFrom("", " ", "null", "0", "-1", "1e309", "NaN", "../../etc/passwd", "%00", "\u0000", huge),
  fc.integer().map(String),
  fc.uuid().map(String),
);
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  junk,
  fc.constantFrom(null, true, -1, 2 ** 53, 1e308, [], {}, huge),
);

const brokenUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((b) => new Uint8Array([0xff, 0xfe, ...b, 0xc3]));

function caseFor(op: Operation) {
  const param = fc.oneof(
    fc.constant(() => ticketId),
    junk.map((s) => () => s),
  );
  const body = fc.oneof(
    { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...op.fields, "x"), anyValue, { maxKeys: 6 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: junk.map((s) => ({ raw: s })) },
    { weight: 1, arbitrary: brokenUtf8.map((b) => ({ bytes: b })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.record({
    params: fc.array(param, { minLength: 4, maxLength: 4 }),
    query: fc.dictionary(fc.constantFrom(...op.query, "x", "limit", "cursor"), junk, { maxKeys: 4 }),
    body,
    caller: fc.constantFrom("admin", "agent", "requester", "none", "forged"),
  });
}

interface Case {
  params: (() => string)[];
  query: Record<string, string>;
  body: unknown;
  caller: "admin" | "agent" | "requester" | "none" | "forged";
}

async function request(op: Operation, c: Case): Promise<Response> {
  let i = 0;
  const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(c.params[i++ % 4]()));
  const qs = new URLSearchParams(c.query).toString();
  const headers: Record<string, string> = {};
  if (c.caller === "forged") headers.authorization = "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged";
  else if (c.caller !== "none") headers.authorization = `Bearer ${tokens[c.caller]}`;
  let body: BodyInit | undefined;
  const b = c.body as unknown;
  if (op.method !== "GET" && b !== undefined) {
    headers["content-type"] = "application/json";
    if (b && typeof b === "object" && "raw" in b) body = String((b as { raw: string }).raw);
    else if (b && typeof b === "object" && "bytes" in b)
      body = (b as { bytes: Uint8Array }).bytes as BodyInit;
    else body = JSON.stringify(b);
  }
  return api().app.request(`${path}${qs ? `?${qs}` : ""}`, { method: op.method, headers, body });
}

describe("fuzzing every /api route", () => {
  it(`answers ${RUNS} random requests without a 5xx, and refused ones write nothing`, async () => {
    // The event stream never ends by itself; it is fuzzed for its refusals only.
    const fuzzed = operations.filter((o) => !(o.method === "GET" && o.path === "/api/events"));
    expect(fuzzed.length).toBeGreaterThan(40);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const started = performance.now();
    const opCase = fc.constantFrom(...fuzzed).chain((op) => caseFor(op).map((c) => ({ op, c })));
    await fc.assert(
      fc.asyncProperty(opCase, async ({ op, c }) => {
        const before = await writes();
        const res = await request(op, c as Case);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${op.method} ${op.path} → ${res.status}`);
        if (res.status >= 400 && (await writes()) !== before)
          failures.push(`${op.method} ${op.path} → ${res.status} but wrote`);
        return failures.length === 0;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, k]) => n + k, 0);
    console.log(
      `fuzz api: ${RUNS} cases over ${fuzzed.length} operations in ${seconds.toFixed(1)} s (seed ${SEED}): ` +
        `${fivexx} × 5xx, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
