/**
 * `npm run load`'s simulated people: requesters writing into their tickets
 * through the bot's webhook, and agents working the queue through the Mini App's
 * API (sign in with initData, list the queue, open a ticket, reply, change its
 * status). Every answer time is recorded by kind for the percentiles.
 */
import type { ChildProcess } from "node:child_process";
import type { TgUser } from "../server/sandbox/bot-api/updates.js";
import { markOf } from "./chaos-account.js";
import { pause } from "./chaos-random.js";
import { apiClient, deliverUpdate, type Endpoint } from "./chaos-traffic.js";
import { AGENT_TG_BASE, BOT_TOKEN, type Requester } from "./chaos-world.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A person's pause, cut short by the end of the load. */
const rest = (run: LoadRun, ms: number) => sleep(Math.max(0, Math.min(ms, run.endsAt - Date.now())));

export interface LoadRun {
  ep: Endpoint;
  secret: string;
  fake: ChildProcess;
  random: () => number;
  running: () => boolean;
  /** When the load ends (ms since the epoch): no pause runs past it. */
  endsAt: number;
  nextMark: () => number;
  accepted: string[];
  /** Answers that were not what a working product gives (a 4xx on a valid request, a 429). */
  refused: Map<string, number>;
}

const refuse = (run: LoadRun, kind: string, status: number) =>
  run.refused.set(`${kind} ${status}`, (run.refused.get(`${kind} ${status}`) ?? 0) + 1);

/** One requester: a message every `meanMs` on average, into the ticket their conversation replies to. */
export async function requester(
  run: LoadRun,
  r: Requester,
  meanMs: number,
  nextUpdate: (tg: TgUser, text: string) => { update_id: number },
) {
  // Not all at once at the start: people do not arrive in step.
  await rest(run, run.random() * meanMs);
  while (run.running()) {
    const m = markOf(run.nextMark());
    const { acked } = await deliverUpdate(
      run.ep,
      run.secret,
      nextUpdate(r.tg, `Still broken ${m}`),
      run.fake,
    );
    if (acked) run.accepted.push(m);
    await rest(run, pause(run.random, meanMs));
  }
}

/** One agent: the Mini App's round of work, with a person's pause between rounds. */
export async function agent(run: LoadRun, index: number, requesters: Requester[], thinkMs: number) {
  const api = apiClient(run.ep, BOT_TOKEN, AGENT_TG_BASE + index, `10.1.${index >> 8}.${index & 255}`);
  const t0 = performance.now();
  await api.signIn();
  run.ep.timed?.({ kind: "agent sign-in", ms: performance.now() - t0 });
  while (run.running()) {
    const queue = await api.call("api queue", "GET", "/api/tickets?limit=20&sort=updated_desc");
    if (queue.status !== 200) refuse(run, "queue", queue.status);
    const items = (queue.json as { items?: Array<{ id: string }> } | null)?.items ?? [];
    // The queue's top when it has one, else any requester's ticket (all are in scope).
    const ticketId =
      items.length > 0
        ? items[Math.floor(run.random() * items.length)].id
        : requesters[Math.floor(run.random() * requesters.length)].ticketId;
    const open = await api.call("api open ticket", "GET", `/api/tickets/${ticketId}`);
    if (open.status !== 200) refuse(run, "open", open.status);
    await api.call("api thread", "GET", `/api/tickets/${ticketId}/messages`);
    const m = markOf(run.nextMark());
    const reply = await api.call(
      "api reply",
      "POST",
      `/api/tickets/${ticketId}/messages`,
      { body: `Try again ${m}` },
      `load-${m}`,
    );
    if (reply.status === 201) run.accepted.push(m);
    else refuse(run, "reply", reply.status);
    if (run.random() < 0.3) {
      const status = run.random() < 0.5 ? "waiting_customer" : "in_progress";
      const changed = await api.call("api status", "PATCH", `/api/tickets/${ticketId}/status`, { status });
      // 409: the ticket already had that status or moved meanwhile (races are lost cleanly).
      if (changed.status !== 200 && changed.status !== 409) refuse(run, "status", changed.status);
    }
    await rest(run, pause(run.random, thinkMs));
  }
}
