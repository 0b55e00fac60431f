import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { ChangeEvent } from "../../domain/context.js";
import { canSeeInternal, canSeeTicket } from "../../domain/permissions.js";
import type { ApiDeps, HttpEnv } from "../env.js";

const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events of committed changes the actor may see (same scope rule as
 * the queue; internal-note events only for staff), so open screens refresh live.
 */
export function eventRoutes(deps: ApiDeps) {
  return new Hono<HttpEnv>().get("/", (c) => {
    const actor = c.get("svc").actor;
    return streamSSE(c, async (stream) => {
      const queue: ChangeEvent[] = [];
      let wake: (() => void) | null = null;
      const off = deps.changes.subscribe((event) => {
        if (!canSeeTicket(actor, event)) return;
        if (event.internal && !canSeeInternal(actor)) return;
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        off();
        wake?.();
      });
      await stream.writeSSE({ event: "ready", data: "{}" });
      while (!stream.aborted) {
        const event = queue.shift();
        if (event) {
          await stream.writeSSE({
            event: event.type,
            data: JSON.stringify({ ticketId: event.ticketId, type: event.type }),
          });
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
        if (queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: "ping", data: "{}" });
      }
      off();
    });
  });
}
