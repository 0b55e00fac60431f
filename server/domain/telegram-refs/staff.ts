import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type User, users } from "../../../drizzle/schema/index.js";
import { WORKING_ROLES } from "../permissions.js";

/** Whether someone works tickets now (active agent, moderator, admin or owner). */
export const isWorkingStaff = (user: Pick<User, "role" | "isActive">) =>
  user.isActive && (WORKING_ROLES as readonly string[]).includes(user.role);

/**
 * The staff a Telegram chat can reach: active, working, and not blocking the bot
 * (the bot gives each of them the Mini App menu button at start).
 */
export async function listReachableWorkingStaff(db: Db): Promise<User[]> {
  return db
    .select()
    .from(users)
    .where(
      and(eq(users.isActive, true), inArray(users.role, [...WORKING_ROLES]), eq(users.botBlocked, false)),
    );
}
