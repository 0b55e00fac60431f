import { eq } from "drizzle-orm";
import {
  type CannedFile,
  type CannedReply,
  type CannedScope,
  cannedReplies,
} from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { Actor, ServiceContext } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { parseInput } from "../validate.js";
import { requireCannedUser, requireManage } from "./access.js";
import { cannedIdSchema, createCannedReplySchema, updateCannedReplySchema } from "./schemas.js";

const ENTITY = "canned_reply";

/** Who owns a reply of this scope: the author for personal ones, a branch for branch ones. */
function placement(actor: Actor, scope: CannedScope, branchId: string | null | undefined) {
  if (scope === "personal") return { ownerId: actor.id, branchId: null };
  if (scope === "global") return { ownerId: null, branchId: null };
  const branch = branchId ?? actor.branchId;
  if (!branch)
    throw new DomainError("VALIDATION", {}, [
      { path: "branchId", code: "required", message: "a branch reply needs a branch" },
    ]);
  return { ownerId: null, branchId: branch };
}

/**
 * Adds a canned reply: any staff member who answers tickets a personal one,
 * moderators one for a branch they cover, admins any. Audited.
 */
export async function createCannedReply({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<CannedReply> {
  requireCannedUser(ctx.actor, "canned_reply.create");
  const data = parseInput(createCannedReplySchema, input);
  const where = placement(ctx.actor, data.scope, data.branchId);
  requireManage(ctx.actor, { scope: data.scope, ...where }, "canned_reply.create");
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(cannedReplies)
      .values({ ...data, ...where, createdAt: now, updatedAt: now })
      .returning();
    await writeAudit(tx, ctx.actor, {
      action: "canned_reply.create",
      entity: ENTITY,
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/**
 * Changes a canned reply the actor manages; moving it to another scope needs the
 * right to manage it there too (an agent cannot make theirs global). Audited.
 */
export async function updateCannedReply({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<CannedReply> {
  requireCannedUser(ctx.actor, "canned_reply.update");
  const { id, scope, branchId, ...patch } = parseInput(updateCannedReplySchema, input);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(cannedReplies).where(eq(cannedReplies.id, id)).for("update");
    if (!before) throw notFound(ENTITY, id);
    requireManage(ctx.actor, before, "canned_reply.update");
    const nextScope = scope ?? before.scope;
    // Only a real move places it anew: an admin re-saving someone's personal reply keeps its owner.
    const moved =
      nextScope !== before.scope ||
      (nextScope === "branch" && branchId != null && branchId !== before.branchId);
    // A reply moved to personal becomes the mover's own; to a branch, the named one (or the mover's).
    const where = moved
      ? placement(ctx.actor, nextScope, branchId)
      : { ownerId: before.ownerId, branchId: before.branchId };
    if (moved) requireManage(ctx.actor, { scope: nextScope, ...where }, "canned_reply.update");
    if (patch.files) requireOwnFiles(before, patch.files);
    const [row] = await tx
      .update(cannedReplies)
      .set({ ...patch, scope: nextScope, ...where, updatedAt: ctx.clock.now() })
      .where(eq(cannedReplies.id, id))
      .returning();
    await writeAudit(tx, ctx.actor, {
      action: "canned_reply.update",
      entity: ENTITY,
      entityId: id,
      before,
      after: row,
    });
    return row;
  });
}

/** Where the doors keep a reply's uploaded files: `canned/<reply id>/<random>`. */
export const cannedFileFolder = (replyId: string) => `canned/${replyId}`;

/**
 * A changed file list may drop files, or add ones uploaded for this reply; never
 * name another stored file or Telegram file (which would send someone else's file).
 */
function requireOwnFiles(before: CannedReply, files: CannedFile[]): void {
  const known = (f: CannedFile) =>
    before.files.some(
      (b) =>
        (b.storagePath ?? null) === (f.storagePath ?? null) && (b.tgFileId ?? null) === (f.tgFileId ?? null),
    );
  const uploaded = (f: CannedFile) =>
    !f.tgFileId && !!f.storagePath?.startsWith(`${cannedFileFolder(before.id)}/`);
  const strange = files.findIndex((f) => !known(f) && !uploaded(f));
  if (strange >= 0)
    throw new DomainError("VALIDATION", {}, [
      { path: `files.${strange}`, code: "canned_file_unknown", message: "only this reply's own files" },
    ]);
}

/** Removes a canned reply the actor manages. Audited (the audit row keeps its text). */
export async function deleteCannedReply({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<void> {
  requireCannedUser(ctx.actor, "canned_reply.delete");
  const { id } = parseInput(cannedIdSchema, input);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(cannedReplies).where(eq(cannedReplies.id, id)).for("update");
    if (!before) throw notFound(ENTITY, id);
    requireManage(ctx.actor, before, "canned_reply.delete");
    await tx.delete(cannedReplies).where(eq(cannedReplies.id, id));
    await writeAudit(tx, ctx.actor, { action: "canned_reply.delete", entity: ENTITY, entityId: id, before });
  });
}
