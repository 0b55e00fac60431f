import { and, eq, ne } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type User, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem, isWorker } from "../permissions.js";
import { cancelJob, scheduleJob } from "../schedule/jobs.js";
import { getSetting } from "../settings/store.js";
import { parseInput } from "../validate.js";
import { routeQueue } from "./routing.js";
import { presenceTimeoutJobSchema, setLivePresenceSchema } from "./schemas.js";

const presenceJobKey = (userId: string) => `presence:${userId}`;

/** Puts (or moves) the user's offline-after-silence job `presence_timeout_minutes` after now. */
async function armTimeout(tx: DbOrTx, userId: string, now: Date) {
  const minutes = await getSetting(tx, "presence_timeout_minutes");
  await scheduleJob(tx, {
    kind: "presence_timeout",
    key: presenceJobKey(userId),
    runAt: new Date(now.getTime() + minutes * 60_000),
    payload: { userId },
  });
}

/**
 * A staff member says they are online (live chats are offered to them), busy
 * (they keep their chats, get no new ones) or offline. Going online gives the
 * queue a turn at once; online and busy go offline by themselves after
 * `presence_timeout_minutes` without activity. Only for oneself.
 */
export async function setLivePresence({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<User> {
  const data = parseInput(setLivePresenceSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  if (!isWorker(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "user.set_presence" });
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const [row] = await tx
      .update(users)
      .set({ presence: data.presence, lastActiveAt: now, updatedAt: now })
      .where(eq(users.id, self))
      .returning();
    if (!row) throw new DomainError("NOT_FOUND", { entity: "user", id: self });
    if (data.presence === "offline") await cancelJob(tx, presenceJobKey(self));
    else await armTimeout(tx, self, now);
    if (data.presence === "online") await routeQueue(tx, ctx);
    return row;
  });
}

/**
 * Something the staff member did (a live message, an accept): they are still
 * there, so their offline-after-silence moves on. Nothing for the offline or for
 * requesters. Runs in the caller's transaction.
 */
export async function touchPresence(tx: DbOrTx, userId: string, now: Date): Promise<void> {
  const [row] = await tx
    .update(users)
    .set({ lastActiveAt: now })
    .where(and(eq(users.id, userId), ne(users.presence, "offline")))
    .returning({ id: users.id });
  if (row) await armTimeout(tx, userId, now);
}

/**
 * The scheduler's presence_timeout job: an online or busy operator silent for
 * `presence_timeout_minutes` goes offline (their active chats stay theirs; chats
 * offered to them time out as usual). One who was active meanwhile gets the job
 * again for the right time.
 */
export async function presenceTimeout({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "user.presence_timeout" });
  const data = parseInput(presenceTimeoutJobSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, data.userId)).for("update");
    if (!user || user.presence === "offline") return null;
    const minutes = await getSetting(tx, "presence_timeout_minutes");
    const now = ctx.clock.now();
    const due = (user.lastActiveAt?.getTime() ?? 0) + minutes * 60_000;
    if (due > now.getTime()) {
      await armTimeout(tx, user.id, user.lastActiveAt ?? now);
      return user;
    }
    const [row] = await tx
      .update(users)
      .set({ presence: "offline", updatedAt: now })
      .where(eq(users.id, user.id))
      .returning();
    return row;
  });
}

/** The doors' way to say a staff member did something (a live message): touchPresence in its own transaction. */
export async function noteLiveActivity({ ctx }: { ctx: ServiceContext }): Promise<void> {
  const self = ctx.actor.id;
  if (!self || !isWorker(ctx.actor)) return;
  await ctx.db.transaction((tx) => touchPresence(tx, self, ctx.clock.now()));
}
