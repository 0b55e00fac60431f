import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { users } from "../../../drizzle/schema/index.js";
import type { ChangeEvent } from "../../domain/context.js";
import { canSeeInternal, canSeeTicket } from "../../domain/permissions.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { accessTokenOf } from "../middleware/auth.js";

/** Also how soon a stream notices an expired token, a deactivated account or a new scope. */
const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events of committed changes the actor may see (same scope rule as
 * the queue; internal-note events only for staff), so open screens refresh live.
 */
export function eventRoutes(deps: ApiDeps) {
  return new Hono<HttpEnv>().get("/", (c) => {
    const opened = c.get("svc").actor;
    const token = accessTokenOf(c) ?? "";
    const everyMs = deps.sseHeartbeatMs ?? HEARTBEAT_MS;
    // Who is watching, as of the last check: a changed role or branch changes what they see.
    let actor = opened;
    let checkedAt = Date.now();
    // Checked at every heartbeat, and at least that often while events keep the stream busy:
    // the stream ends when its token expires (the Mini App reconnects with a fresh one) or
    // the account is deactivated.
    const stillValid = async () => {
      checkedAt = Date.now();
      try {
        await deps.tokens.verifyAccess(token);
        const [user] = await deps.db
          .select({ active: users.isActive, role: users.role, branchId: users.branchId })
          .from(users)
          .where(eq(users.id, opened.id ?? ""));
        if (user?.active !== true) return false;
        actor = { ...opened, role: user.role, branchId: user.branchId };
        return true;
      } catch {
        return false;
      }
    };
    // The queue's scope rule; internal-note events only for staff.
    const visible = (event: ChangeEvent) =>
      canSeeTicket(actor, event) && (!event.internal || canSeeInternal(actor));
    return streamSSE(c, async (stream) => {
      const queue: ChangeEvent[] = [];
      let wake: (() => void) | null = null;
      const off = deps.changes.subscribe((event) => {
        if (!visible(event)) return;
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        off();
        wake?.();
      });
      // Shutting down: wake the loop below, which then ends (and with it the response).
      const ending = () => wake?.();
      deps.closing?.addEventListener("abort", ending, { once: true });
      deps.metrics?.sseClients(1);
      try {
        await stream.writeSSE({ event: "ready", data: "{}" });
        while (!stream.aborted && !deps.closing?.aborted) {
          if (Date.now() - checkedAt >= everyMs && !(await stillValid())) break;
          const event = queue.shift();
          if (event) {
            // Queued under the scope of before the check: ask again with the scope of now.
            if (!visible(event)) continue;
            await stream.writeSSE({
              event: event.type,
              data: JSON.stringify({ ticketId: event.ticketId, type: event.type, by: event.by }),
            });
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, everyMs);
            wake = () => {
              clearTimeout(timer);
              wake = null;
              resolve();
            };
          });
          if (queue.length > 0 || stream.aborted || deps.closing?.aborted) continue;
          if (!(await stillValid())) break;
          await stream.writeSSE({ event: "ping", data: "{}" });
        }
      } finally {
        deps.closing?.removeEventListener("abort", ending);
        deps.metrics?.sseClients(-1);
        off();
      }
    });
  });
}
