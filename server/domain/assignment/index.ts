export { setAway } from "./away.js";
export { deleteAssignmentPolicy, listAssignmentPolicies, setAssignmentPolicy } from "./policies.js";
export { drainBranch, runAutoAssign } from "./run.js";
export * from "./schemas.js";
export { drainJobKey, policyFor, ticketJobKey } from "./scope.js";
