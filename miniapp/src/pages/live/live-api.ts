import type { LiveChatOfTicket, LiveChatView } from "../../../../server/domain/index.js";

/** What GET /api/live/queue and /api/live/mine answer (server/domain/live/read.ts). */
export type LiveChatDto = LiveChatView;
/** GET /api/live/ticket/:ticketId: a ticket's chat with the viewer's side (server/domain/live/view.ts). */
export type LiveChatOfTicketDto = LiveChatOfTicket;
export interface LiveStaffDto {
  id: string;
  firstName: string;
  lastName: string | null;
  presence: "online" | "busy" | "offline";
  load: number;
  capacity: number;
}
export interface LiveBoardDto {
  chats: LiveChatDto[];
  staff: LiveStaffDto[];
}
export const PRESENCES = ["online", "busy", "offline"] as const;
export type Presence = (typeof PRESENCES)[number];

/** How often the Live screen looks again besides live updates (offers expire on the server's clock). */
export const LIVE_POLL_MS = 5000;
