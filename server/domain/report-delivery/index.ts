export { listReportChats, type ReportChatChoice, reportChat } from "./chats.js";
export {
  cleanUpReportFile,
  REPORT_FILE_CHECK_MS,
  REPORT_FILE_RETENTION_MS,
  type ReportFileCleanup,
} from "./file-cleanup.js";
export { nextRunAfter, periodBefore, type ScheduleRule, zonedInstant } from "./next-run.js";
export {
  queueReportDocument,
  type RenderedReportFile,
  type ReportDocument,
  TELEGRAM_DOCUMENT_MAX_BYTES,
} from "./queue.js";
export {
  createScheduledReport,
  deleteScheduledReport,
  listScheduledReports,
  scheduledReportJobKey,
  syncScheduledReportJob,
  updateScheduledReport,
} from "./scheduled.js";
export {
  runScheduledReport,
  type ScheduledRenderRequest,
  type ScheduledRunOutcome,
} from "./scheduled-run.js";
export * from "./schemas.js";
export { type SentReport, sendReportToChat } from "./send.js";
