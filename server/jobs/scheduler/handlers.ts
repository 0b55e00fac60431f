import {
  autoCloseTicket,
  checkTicketSla,
  cleanUpReportFile,
  liveOfferTimeout,
  presenceTimeout,
  recalcSlaClocks,
  runAutoAssign,
  runAutomation,
  runReportBusinessHours,
} from "../../domain/index.js";
import type { JobHandlers } from "./worker.js";

/** Each job kind's domain verb (features add a kind here, never a timer of their own). */
export const jobHandlers: JobHandlers = {
  auto_close: (ctx, payload) => autoCloseTicket({ ctx, input: { ticketId: String(payload.ticketId) } }),
  sla_check: (ctx, payload) => checkTicketSla({ ctx, input: { ticketId: String(payload.ticketId) } }),
  auto_assign: (ctx, payload) => runAutoAssign({ ctx, input: payload }),
  sla_recalc: (ctx, payload) =>
    recalcSlaClocks({ ctx, input: { after: typeof payload.after === "string" ? payload.after : undefined } }),
  automation: (ctx, payload) => runAutomation({ ctx, input: payload }),
  live_offer_timeout: (ctx, payload) => liveOfferTimeout({ ctx, input: payload }),
  presence_timeout: (ctx, payload) => presenceTimeout({ ctx, input: payload }),
  report_file_cleanup: (ctx, payload) => cleanUpReportFile({ ctx, input: payload }),
  report_business_hours: (ctx, payload) =>
    runReportBusinessHours({
      ctx,
      input: {
        generation: typeof payload.generation === "number" ? payload.generation : undefined,
        after: typeof payload.after === "string" ? payload.after : undefined,
      },
    }),
};
