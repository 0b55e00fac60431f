import type { Db } from "../../drizzle/client.js";
import type { User } from "../../drizzle/schema/index.js";
import type { Config } from "../config.js";
import {
  type Actor,
  type ChangeNotifier,
  type Clock,
  type DomainSettings,
  type FileStore,
  type ServiceContext,
  SYSTEM_ACTOR,
  silentNotifier,
  systemClock,
  type TypingIndicator,
} from "./context.js";
import { DomainError } from "./errors.js";

export function settingsFromConfig(
  config: Pick<Config, "TIME_ZONE" | "STAFF_CHAT_ID" | "MAX_FILE_MB">,
): DomainSettings {
  return {
    timeZone: config.TIME_ZONE,
    staffChatId: config.STAFF_CHAT_ID ? Number(config.STAFF_CHAT_ID) : null,
    maxFileBytes: Math.round(config.MAX_FILE_MB * 1024 * 1024),
  };
}

export const actorOf = (u: Pick<User, "id" | "role" | "branchId" | "telegramId">): Actor => ({
  id: u.id,
  role: u.role,
  branchId: u.branchId,
  telegramId: u.telegramId,
});

export interface ContextFactoryDeps {
  db: Db;
  settings: DomainSettings;
  clock?: Clock;
  notify?: ChangeNotifier;
  files?: FileStore;
  typing?: TypingIndicator;
}

/**
 * The one way doors turn an authenticated user into a ServiceContext. A
 * deactivated account is refused here, before any verb runs.
 */
export function createContextFactory(deps: ContextFactoryDeps) {
  const base = {
    db: deps.db,
    settings: deps.settings,
    clock: deps.clock ?? systemClock,
    notify: deps.notify ?? silentNotifier,
    files: deps.files,
    typing: deps.typing,
  };
  return {
    forUser(user: Pick<User, "id" | "role" | "branchId" | "telegramId" | "isActive">): ServiceContext {
      if (!user.isActive) throw new DomainError("USER_INACTIVE");
      return { ...base, actor: actorOf(user) };
    },
    forSystem(): ServiceContext {
      return { ...base, actor: SYSTEM_ACTOR };
    },
  };
}
export type ContextFactory = ReturnType<typeof createContextFactory>;
