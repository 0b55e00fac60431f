import type { z } from "zod";
import {
  createScheduledReportSchema,
  sendReportSchema,
  updateScheduledReportSchema,
} from "../../domain/index.js";
import { sendQuery } from "./report-exports.js";

/** The OpenAPI entries of report files sent to chats and scheduled reports (kept apart from openapi.ts's list). */
export const reportDeliveryRoutes: Array<{
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
}> = [
  {
    method: "post",
    path: "/api/reports/export/{name}/send",
    summary:
      "Send a report (or the ticket list) as a file to a Telegram chat: the export's parameters in the query (format=pdf by default, xlsx or csv), { chatId } in the body (empty: the staff chat; else a staff group or a staff member's private chat). Queued on the outbox, posted with sendDocument; 202 (admin)",
    query: sendQuery,
    body: sendReportSchema,
  },
  { method: "get", path: "/api/scheduled-reports", summary: "Scheduled reports (admin)" },
  {
    method: "get",
    path: "/api/scheduled-reports/chats",
    summary:
      "The chats a report may be sent or scheduled to: the main staff chat, branches' staff chats, active staff members' private chats, each { chatId, kind, name } (admin)",
  },
  {
    method: "post",
    path: "/api/scheduled-reports",
    summary:
      "Schedule a report for a chat: daily, weekly (weekday 0 = Sunday … 6 = Saturday) or monthly (monthDay), at time HH:MM in timeZone, as PDF or XLSX, in a language, with the report's filters; audited (admin)",
    body: createScheduledReportSchema,
  },
  {
    method: "patch",
    path: "/api/scheduled-reports/{id}",
    summary: "Change a scheduled report; its next run is recomputed (admin)",
    body: updateScheduledReportSchema,
  },
  {
    method: "delete",
    path: "/api/scheduled-reports/{id}",
    summary: "Delete a scheduled report and its pending run (admin)",
  },
];
