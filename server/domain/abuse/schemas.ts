import { z } from "zod";
import { MODERATION_STATES } from "../../../drizzle/schema/index.js";

/** Ban, shadow-ban or clear ("none") a user, by id (admin Users, the Mini App). */
export const moderateUserSchema = z
  .object({
    userId: z.uuid(),
    state: z.enum(MODERATION_STATES),
    /** Why, for the audit log (optional). */
    reason: z.string().trim().max(500).optional(),
  })
  .strict();

/** The same, for the requester of a ticket the actor sees (the staff card's buttons). */
export const moderateRequesterSchema = z
  .object({
    ticketId: z.uuid(),
    state: z.enum(MODERATION_STATES),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
