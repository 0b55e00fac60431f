import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { branches, categories } from "../../../drizzle/schema/index.js";
import { isUniqueViolation } from "../db-errors.js";
import { DomainError, type FieldIssue } from "../errors.js";

/**
 * The category and branch a policy or calendar names must exist: a typo'd id is
 * the user's VALIDATION on that field, not a foreign-key crash.
 */
export async function requireKnownRefs(
  tx: DbOrTx,
  refs: { categoryId?: string | null; branchId?: string | null },
): Promise<void> {
  const issues: FieldIssue[] = [];
  if (refs.categoryId) {
    const [row] = await tx
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.id, refs.categoryId));
    if (!row) issues.push({ path: "categoryId", code: "unknown_category", message: "no such category" });
  }
  if (refs.branchId) {
    const [row] = await tx.select({ id: branches.id }).from(branches).where(eq(branches.id, refs.branchId));
    if (!row) issues.push({ path: "branchId", code: "unknown_branch", message: "no such branch" });
  }
  if (issues.length) throw new DomainError("VALIDATION", {}, issues);
}

/** A second policy for the same scope, or a second calendar for a branch: CONFLICT with its reason. */
export async function uniqueOr<T>(reason: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError("CONFLICT", { reason });
    throw e;
  }
}
