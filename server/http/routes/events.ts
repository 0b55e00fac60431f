import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { users } from "../../../drizzle/schema/index.js";
import type { ChangeEvent } from "../../domain/context.js";
import { canSeeInternal, canSeeTicket } from "../../domain/permissions.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { accessTokenOf } from "../middleware/auth.js";

/** Also how soon a stream notices an expired token or a deactivated account. */
const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events of committed changes the actor may see (same scope rule as
 * the queue; internal-note events only for staff), so open screens refresh live.
 */
export function eventRoutes(deps: ApiDeps) {
  return new Hono<HttpEnv>().get("/", (c) => {
    const actor = c.get("svc").actor;
    const token = accessTokenOf(c) ?? "";
    // Checked at every heartbeat: the stream ends when its token expires (the Mini App
    // reconnects with a fresh one) or when the account is deactivated.
    const stillValid = async () => {
      try {
        await deps.tokens.verifyAccess(token);
        const [user] = await deps.db
          .select({ active: users.isActive })
          .from(users)
          .where(eq(users.id, actor.id ?? ""));
        return user?.active === true;
      } catch {
        return false;
      }
    };
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
          const timer = setTimeout(resolve, deps.sseHeartbeatMs ?? HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
        if (queue.length > 0 || stream.aborted) continue;
        if (!(await stillValid())) break;
        await stream.writeSSE({ event: "ping", data: "{}" });
      }
      off();
    });
  });
}
