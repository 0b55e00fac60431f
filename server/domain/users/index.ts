export { createUser } from "./create.js";
export { getUser, listUsers } from "./list.js";
export { setUserActive, setUserBranch, setUserCapacity, setUserRole, setUserSkills } from "./manage.js";
export { canGrantRole, canManageUser } from "./policy.js";
export { markBotBlocked } from "./reachability.js";
export * from "./schemas.js";
export { setNotificationPrefs, setPresence, setUserLanguage } from "./self.js";
export {
  bootstrapOwners,
  findUserByTelegramId,
  findUserByUsername,
  languageFromTelegram,
  upsertTelegramUser,
} from "./upsert.js";
