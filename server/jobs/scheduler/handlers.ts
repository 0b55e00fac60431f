import { autoCloseTicket } from "../../domain/index.js";
import type { JobHandlers } from "./worker.js";

/** Each job kind's domain verb (features add a kind here, never a timer of their own). */
export const jobHandlers: JobHandlers = {
  auto_close: (ctx, payload) => autoCloseTicket({ ctx, input: { ticketId: String(payload.ticketId) } }),
  // Being built in this change (server/domain/sla).
  sla_check: async () => {},
  sla_recalc: async () => {},
};
