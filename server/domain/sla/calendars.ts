import { asc, eq, sql } from "drizzle-orm";
import { type BusinessCalendar, businessCalendars } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, isStaffReader, requireRole } from "../permissions.js";
import { scheduleBusinessHoursRebuild } from "../reports/business-facts.js";
import { parseInput } from "../validate.js";
import { calendarPreset } from "./calendar-input.js";
import { scheduleSlaRecalc } from "./recalc-request.js";
import { requireKnownRefs, uniqueOr } from "./refs.js";
import { createCalendarSchema, deleteSlaEntitySchema, updateCalendarSchema } from "./schemas.js";

const ENTITY = "business_calendar";

/** Every business calendar, the default (no branch) first (any staff member may read them). */
export async function listBusinessCalendars({
  ctx,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<BusinessCalendar[]> {
  requireRole(ctx.actor, isStaffReader(ctx.actor), "business_calendar.read");
  return ctx.db
    .select()
    .from(businessCalendars)
    .orderBy(sql`${businessCalendars.branchId} is not null`, asc(businessCalendars.name));
}

/**
 * Adds a calendar (admins and owners): the default one (no branch) or a branch's
 * own, one each. A preset fills the week and zone the input leaves out; the
 * Mon–Fri preset takes the deployment's time zone. Audited; due times recomputed.
 */
export async function createBusinessCalendar({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<BusinessCalendar> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "business_calendar.create");
  const { preset, ...data } = parseInput(createCalendarSchema, input);
  const base = preset ? calendarPreset(preset, ctx.settings.timeZone) : null;
  const timeZone = data.timeZone ?? base?.timeZone;
  const week = data.week ?? base?.week;
  // The schema asks for both when there is no preset.
  if (!timeZone || !week) throw new DomainError("VALIDATION");
  return uniqueOr("calendar_exists", () =>
    ctx.db.transaction(async (tx) => {
      await requireKnownRefs(tx, data);
      const now = ctx.clock.now();
      const [row] = await tx
        .insert(businessCalendars)
        .values({ ...data, timeZone, week, createdAt: now, updatedAt: now })
        .returning();
      await writeAudit(tx, ctx.actor, {
        action: "business_calendar.create",
        entity: ENTITY,
        entityId: row.id,
        after: row,
      });
      await scheduleSlaRecalc(tx, now);
      await scheduleBusinessHoursRebuild(tx, now);
      return row;
    }),
  );
}

/** Changes a calendar (admins and owners); a preset replaces the week and zone unless they are given too. */
export async function updateBusinessCalendar({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<BusinessCalendar> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "business_calendar.update");
  const { id, preset, ...data } = parseInput(updateCalendarSchema, input);
  const base = preset ? calendarPreset(preset, ctx.settings.timeZone) : null;
  const patch = { ...data, timeZone: data.timeZone ?? base?.timeZone, week: data.week ?? base?.week };
  return uniqueOr("calendar_exists", () =>
    ctx.db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(businessCalendars)
        .where(eq(businessCalendars.id, id))
        .for("update");
      if (!before) throw new DomainError("NOT_FOUND", { entity: ENTITY, id });
      await requireKnownRefs(tx, patch);
      const now = ctx.clock.now();
      const [row] = await tx
        .update(businessCalendars)
        .set({ ...patch, updatedAt: now })
        .where(eq(businessCalendars.id, id))
        .returning();
      await writeAudit(tx, ctx.actor, {
        action: "business_calendar.update",
        entity: ENTITY,
        entityId: id,
        before,
        after: row,
      });
      await scheduleSlaRecalc(tx, now);
      await scheduleBusinessHoursRebuild(tx, now);
      return row;
    }),
  );
}

/**
 * Removes a calendar (admins and owners). A branch without its own calendar counts
 * the default one; with no default, business-hours policies count wall time.
 */
export async function deleteBusinessCalendar({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<void> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "business_calendar.delete");
  const { id } = parseInput(deleteSlaEntitySchema, input);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.delete(businessCalendars).where(eq(businessCalendars.id, id)).returning();
    if (!before) throw new DomainError("NOT_FOUND", { entity: ENTITY, id });
    await writeAudit(tx, ctx.actor, {
      action: "business_calendar.delete",
      entity: ENTITY,
      entityId: id,
      before,
    });
    await scheduleSlaRecalc(tx, ctx.clock.now());
    await scheduleBusinessHoursRebuild(tx, ctx.clock.now());
  });
}
