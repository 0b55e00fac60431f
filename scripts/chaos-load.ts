/**
 * The chaos run's load: requesters writing into their tickets through the bot's
 * webhook and agents working through the API, each retrying until acknowledged
 * (chaos-traffic.ts). It records what was accepted (the marks the account
 * expects to find stored exactly once) and when acknowledgements arrived (the
 * recovery after each restart).
 */
import type { ChildProcess } from "node:child_process";
import type { TgUser } from "../server/sandbox/bot-api/updates.js";
import { markOf } from "./chaos-account.js";
import { pause } from "./chaos-random.js";
import { apiClient, deliverUpdate, type Endpoint, type Timed } from "./chaos-traffic.js";
import { AGENT_TG_BASE, BOT_TOKEN, type Requester } from "./chaos-world.js";

export interface LoadOptions {
  url: string;
  secret: string;
  fake: ChildProcess;
  world: { requesters: Requester[]; agents: unknown[]; categoryId: string };
  random: () => number;
  /** Requester messages a second, all requesters together. */
  ratePerS: number;
  /** Agent actions a second, each agent. */
  agentRatePerS?: number;
  nextUpdate: (tg: TgUser, text: string) => { update_id: number };
  timed?: (t: Timed) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startChaosLoad(opts: LoadOptions) {
  const { random, world } = opts;
  let running = true;
  let giveUp = false;
  let mark = 0;
  const accepted: string[] = [];
  /** Each acknowledged update: when it was first sent and when the 200 came. */
  const acks: Array<{ sentAt: number; at: number }> = [];
  const c = {
    updates: 0,
    updateAttempts: 0,
    unacked: 0,
    replies: 0,
    created: 0,
    statusChanges: 0,
    apiAttempts: 0,
  };
  const ep: Endpoint = {
    url: opts.url,
    alive: () => !giveUp,
    timed: (t) => {
      c.apiAttempts += t.kind === "bot update" ? 0 : 1;
      opts.timed?.(t);
    },
  };

  const requesterLoop = async (r: Requester) => {
    const meanMs = (world.requesters.length / opts.ratePerS) * 1000;
    while (running) {
      await sleep(pause(random, meanMs));
      if (!running) break;
      const m = markOf(++mark);
      c.updates++;
      const sentAt = Date.now();
      const { attempts, acked } = await deliverUpdate(
        ep,
        opts.secret,
        opts.nextUpdate(r.tg, `Still broken ${m}`),
        opts.fake,
      );
      c.updateAttempts += attempts;
      if (acked) {
        accepted.push(m);
        acks.push({ sentAt, at: Date.now() });
      } else c.unacked++;
    }
  };

  const agentLoop = async (i: number) => {
    const api = apiClient(ep, BOT_TOKEN, AGENT_TG_BASE + i, `10.0.${i >> 8}.${i & 255}`);
    await api.signIn();
    const meanMs = 1000 / (opts.agentRatePerS ?? 1);
    while (running) {
      await sleep(pause(random, meanMs));
      if (!running) break;
      const r = world.requesters[Math.floor(random() * world.requesters.length)];
      const roll = random();
      const m = markOf(++mark);
      const key = `chaos-${m}`;
      if (roll < 0.6) {
        const res = await api.call(
          "reply",
          "POST",
          `/api/tickets/${r.ticketId}/messages`,
          { body: `Try again ${m}` },
          key,
        );
        if (res.status === 201) {
          c.replies++;
          accepted.push(m);
        }
      } else if (roll < 0.8) {
        const status = random() < 0.5 ? "waiting_customer" : "in_progress";
        const res = await api.call("status", "PATCH", `/api/tickets/${r.ticketId}/status`, { status });
        if (res.status === 200) c.statusChanges++;
      } else {
        const body = { title: `Opened for them ${m}`, categoryId: world.categoryId, requesterId: r.user.id };
        const res = await api.call("create", "POST", "/api/tickets", body, key);
        if (res.status === 201) {
          c.created++;
          accepted.push(m);
        }
      }
    }
  };

  const loops = [...world.requesters.map(requesterLoop), ...world.agents.map((_, i) => agentLoop(i))];
  const all = Promise.all(loops);
  return {
    /** Stops new work; waits up to `maxWaitMs` for the retries in flight, then gives them up. */
    async stop(maxWaitMs: number) {
      running = false;
      const timer = setTimeout(() => {
        giveUp = true;
      }, maxWaitMs);
      await all;
      clearTimeout(timer);
    },
    stats: () => ({ ...c, accepted: [...accepted], acks: [...acks] }),
  };
}

export type ChaosLoad = ReturnType<typeof startChaosLoad>;
