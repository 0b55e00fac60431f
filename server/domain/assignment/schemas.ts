import { z } from "zod";
import { ASSIGNMENT_STRATEGIES } from "../../../drizzle/schema/index.js";

/** Most open tickets auto-assignment gives one agent: one to a thousand. */
const capacity = z.number().int().min(1).max(1000);

/** PUT /api/assignment-policies: the policy of one scope (branch or none, category or all), created or replaced. */
export const setAssignmentPolicySchema = z.object({
  /** null: tickets without a branch. */
  branchId: z.uuid().nullable(),
  /** null: every category of the branch (a category's own policy wins). */
  categoryId: z.uuid().nullable().default(null),
  strategy: z.enum(ASSIGNMENT_STRATEGIES),
  capacity: capacity.default(10),
});
export type SetAssignmentPolicyInput = z.input<typeof setAssignmentPolicySchema>;

export const deleteAssignmentPolicySchema = z.object({ id: z.uuid() });

/** A staff member marks themselves away (auto-assignment passes them by) or available. */
export const setAwaySchema = z.object({ away: z.boolean() });

/** An agent's own most open tickets; null falls back to the policy's capacity. */
export const setCapacitySchema = z.object({ userId: z.uuid(), maxOpenTickets: capacity.nullable() });

/** The auto_assign job: one ticket, or the oldest waiting tickets of a branch (null: without a branch). */
export const autoAssignJobSchema = z.union([
  z.object({ ticketId: z.uuid() }),
  z.object({ branchId: z.uuid().nullable(), drain: z.literal(true) }),
]);
