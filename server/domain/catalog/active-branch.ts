import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { branches } from "../../../drizzle/schema/index.js";
import { DomainError } from "../errors.js";

/**
 * A branch someone or something is being put in must exist and be active: else
 * VALIDATION on `branchId` (code unknown_branch), whichever verb asked. Run it in
 * the verb's transaction, so a branch closed meanwhile is not taken.
 */
export async function requireActiveBranch(tx: DbOrTx, branchId: string): Promise<void> {
  const [branch] = await tx
    .select({ id: branches.id })
    .from(branches)
    .where(and(eq(branches.id, branchId), eq(branches.isActive, true)));
  if (!branch)
    throw new DomainError("VALIDATION", {}, [
      { path: "branchId", code: "unknown_branch", message: "unknown_branch" },
    ]);
}
