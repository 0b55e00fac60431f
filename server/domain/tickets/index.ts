export { type AddMessageResult, addTicketMessage } from "./add-message.js";
export { assignTicket } from "./assign.js";
export { getAttachment } from "./attachment.js";
export * from "./attachment-policy.js";
export { type BulkOutcome, bulkUpdateTickets } from "./bulk.js";
export { changeTicketStatus } from "./change-status.js";
export { createTicket } from "./create.js";
export { editTicketMessage } from "./edit-message.js";
export { type FilingCandidate, listFilingCandidates } from "./filing-candidates.js";
export { listTickets, type TicketPage } from "./list.js";
export { joinMessageFacts, messageFactsSelection, withFactsTyped } from "./message-statements.js";
export { dayKey, formatTicketNumber, normalizeTicketNumber } from "./numbering.js";
export { type MessageFacts, messageFactsOf } from "./one-statement.js";
export { listQueueRows, type QueueRow, type QueueRowExtras } from "./queue-rows.js";
export { RATING_CHANGEABLE_MS, rateTicket, ticketRatingsOf } from "./rate.js";
export {
  getTicket,
  getTicketByNumber,
  getTicketHistory,
  listTicketMessages,
  type ThreadMessage,
  type TicketDetail,
} from "./read.js";
export * from "./schemas.js";
export { maxFileBytes } from "./shared.js";
export { type WithSla, withSla } from "./sla-field.js";
export { getTicketSummary, type TicketSummary } from "./summary.js";
export { getTriageChoices, type TriageChoices } from "./triage-choices.js";
export { updateTicket } from "./update.js";
export { ticketVersion } from "./version.js";
