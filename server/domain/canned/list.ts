import { and, asc, eq, sql } from "drizzle-orm";
import { type CannedReply, cannedReplies } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { notFound } from "../errors.js";
import { isAdmin } from "../permissions.js";
import { loadVisibleTicket } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { cannedMatches, mayManage, mayUse, requireCannedUser, usableFilter } from "./access.js";
import { cannedIdSchema, listCannedRepliesSchema } from "./schemas.js";

/** A canned reply as listed, with whether the actor may change it (the screen offers edit only then). */
export interface CannedReplyItem extends CannedReply {
  canManage: boolean;
}

const SCOPE_ORDER = sql`array_position(array['personal','branch','global']::text[], ${cannedReplies.scope})`;

/**
 * The canned replies the actor may use (own personal, their branch's — and the
 * ticket's branch's when `ticketId` is given — and global), optionally matching `q`;
 * admins may ask for `all`. Personal first, then branch, then global, by title.
 */
export async function listCannedReplies({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<CannedReplyItem[]> {
  requireCannedUser(ctx.actor, "canned_reply.read");
  const data = parseInput(listCannedRepliesSchema, input ?? {});
  const ticketBranchId = data.ticketId
    ? (await loadVisibleTicket(ctx.db, ctx, data.ticketId)).branchId
    : null;
  const scope = data.all && isAdmin(ctx.actor) ? undefined : usableFilter(ctx.actor, ticketBranchId);
  const rows = await ctx.db
    .select()
    .from(cannedReplies)
    .where(and(scope, data.q ? cannedMatches(data.q) : undefined))
    .orderBy(SCOPE_ORDER, asc(cannedReplies.title), asc(cannedReplies.id))
    .limit(data.limit)
    .offset(data.offset);
  return rows.map((r) => ({ ...r, canManage: mayManage(ctx.actor, r) }));
}

/** One canned reply the actor may use (or, for admins, any); others are NOT_FOUND. */
export async function getCannedReply({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<CannedReplyItem> {
  requireCannedUser(ctx.actor, "canned_reply.read");
  const { id } = parseInput(cannedIdSchema, input);
  const [row] = await ctx.db.select().from(cannedReplies).where(eq(cannedReplies.id, id));
  if (!row || !(isAdmin(ctx.actor) || mayUse(ctx.actor, row, null))) throw notFound("canned_reply", id);
  return { ...row, canManage: mayManage(ctx.actor, row) };
}
