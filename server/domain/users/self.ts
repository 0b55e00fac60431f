import { eq } from "drizzle-orm";
import { type User, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isWorker } from "../permissions.js";
import { parseInput } from "../validate.js";
import { canManageUser } from "./policy.js";
import { setLanguageSchema, setPrefsSchema, setPresenceSchema } from "./schemas.js";

function requireSelf(ctx: ServiceContext): string {
  if (!ctx.actor.id) throw new DomainError("UNAUTHENTICATED");
  return ctx.actor.id;
}

async function patchUser(ctx: ServiceContext, userId: string, patch: Partial<User>): Promise<User> {
  const [row] = await ctx.db
    .update(users)
    .set({ ...patch, updatedAt: ctx.clock.now() })
    .where(eq(users.id, userId))
    .returning();
  if (!row) throw new DomainError("NOT_FOUND", { entity: "user", id: userId });
  return row;
}

/** A user picks their interface language; admins may set it for people they manage. */
export async function setUserLanguage({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<User> {
  const data = parseInput(setLanguageSchema, input);
  const self = requireSelf(ctx);
  const userId = data.userId ?? self;
  if (userId !== self) {
    const [target] = await ctx.db.select().from(users).where(eq(users.id, userId));
    if (!target) throw new DomainError("NOT_FOUND", { entity: "user", id: userId });
    if (!canManageUser(ctx.actor, target))
      throw new DomainError("FORBIDDEN", { action: "user.set_language" });
  }
  return patchUser(ctx, userId, { language: data.language, languageChosen: true });
}

/** Turns kinds of notification on or off for oneself; unspecified kinds keep their value. */
export async function setNotificationPrefs({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<User> {
  const data = parseInput(setPrefsSchema, input);
  const self = requireSelf(ctx);
  const [me] = await ctx.db.select().from(users).where(eq(users.id, self));
  if (!me) throw new DomainError("NOT_FOUND", { entity: "user", id: self });
  return patchUser(ctx, self, { notifyPrefs: { ...me.notifyPrefs, ...data.prefs } });
}

/** Staff say whether they are online (live chat and auto-assignment use it). */
export async function setPresence({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  const data = parseInput(setPresenceSchema, input);
  const self = requireSelf(ctx);
  if (!isWorker(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "user.set_presence" });
  return patchUser(ctx, self, { presence: data.presence });
}
