export { normalizeRuleText, ruleMatches } from "./conditions.js";
export { type AutomationPayload, queueAutomation } from "./queue.js";
export {
  createAutomationRule,
  deleteAutomationRule,
  listAutomationRules,
  updateAutomationRule,
} from "./rules.js";
export { runAutomation } from "./run.js";
export * from "./schemas.js";
