export { type AgentRow, type AgentsReport, getAgentsReport } from "./agents.js";
export type { NeedsAttention } from "./attention.js";
export { type BreakdownReport, type BreakdownRow, getBreakdownReport } from "./breakdowns.js";
export {
  needsBusinessHoursRebuild,
  rebuildBusinessHours,
  runReportBusinessHours,
  scheduleBusinessHoursRebuild,
} from "./business-facts.js";
export { type CsatFigures, type CsatReport, getCsatReport } from "./csat.js";
export { localDayStart, localDayString } from "./days.js";
export { getLiveReport, type LiveReport } from "./live.js";
export { ensureReportRollups, rebuildReportRollups } from "./rollups.js";
export * from "./schemas.js";
export { getSlaReport, type SlaReport, type SlaTargetOutcome } from "./sla.js";
export type { DurationStats } from "./sql-parts.js";
export { getQueueSummary, type QueueSummary } from "./summary.js";
export * from "./tables.js";
export { TICKET_EXPORT_COLUMNS, type TicketExportRow, walkTicketsForExport } from "./ticket-rows.js";
export { getTimingsReport, type TimingsReport } from "./timings.js";
export { type BacklogDay, getVolumeReport, type VolumeBucket, type VolumeReport } from "./volume.js";
