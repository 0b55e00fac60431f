/** What the bot keeps about its own updates and conversations (its session). */

export { type InstanceLiveness, startInstanceLiveness } from "./instance-liveness.js";
export { loadBotSession, saveBotSession } from "./session.js";
export {
  finishUpdateClaims,
  openUpdateClaimHolder,
  releaseUpdateClaim,
  takeOverUpdateClaim,
} from "./update-claims.js";
export { loadUpdateState, type UpdateStateParams, type UpdateStateRow } from "./update-state.js";
