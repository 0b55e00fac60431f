import { z } from "zod";
import { PRESENCES } from "../../../drizzle/schema/index.js";

/** A staff member's presence for live chat: online (takes chats), busy (keeps theirs, gets no new ones), offline. */
export const setLivePresenceSchema = z.object({ presence: z.enum(PRESENCES) });

/** A requester asks for an operator: of a category, or (none given) the one of their last ticket. */
export const askLiveSchema = z.object({ categoryId: z.uuid().optional() });

/** Any verb about one live chat. */
export const liveChatIdSchema = z.object({ chatId: z.uuid() });

/** The live chat of one ticket (its Mini App view). */
export const liveTicketSchema = z.object({ ticketId: z.uuid() });

/** A supervisor (or the chat's operator) hands the chat to another operator. */
export const transferLiveSchema = z.object({ chatId: z.uuid(), operatorId: z.uuid() });

/** The scheduler's live_offer_timeout job: the offer it was scheduled for. */
export const offerTimeoutJobSchema = z.object({ chatId: z.uuid(), offeredTo: z.uuid() });

/** The scheduler's presence_timeout job. */
export const presenceTimeoutJobSchema = z.object({ userId: z.uuid() });
