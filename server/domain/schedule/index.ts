export { autoCloseTicket, syncAutoCloseJobs } from "./auto-close.js";
export { cancelJob, JOB_KINDS, type JobKind, scheduleJob } from "./jobs.js";
