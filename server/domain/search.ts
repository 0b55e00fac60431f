import { ilike, or, type SQL } from "drizzle-orm";
import { users } from "../../drizzle/schema/index.js";

/** An ILIKE pattern matching `q` anywhere, with LIKE's own characters (\ % _) taken literally. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A person whose first name, last name or username contains `q` (any case). */
export function personMatches(q: string): SQL | undefined {
  const p = containsPattern(q);
  return or(ilike(users.firstName, p), ilike(users.lastName, p), ilike(users.username, p));
}
