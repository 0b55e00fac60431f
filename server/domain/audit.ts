import type { DbOrTx } from "../../drizzle/client.js";
import { auditLog } from "../../drizzle/schema/index.js";
import type { Actor } from "./context.js";

/** Records an admin action in the same transaction as the change itself. */
export async function writeAudit(
  tx: DbOrTx,
  actor: Actor,
  entry: { action: string; entity: string; entityId: string | null; before?: unknown; after?: unknown },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.id,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
