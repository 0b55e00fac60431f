import { z } from "zod";
import { askLiveSchema, reportQuerySchema, setLivePresenceSchema } from "../../domain/index.js";
import type { Route } from "./openapi.js";

/** Live chat's entries of /api/openapi.json (docs/LIVE.md), kept apart so features merge cleanly. */
export const liveRouteDocs: Route[] = [
  { method: "get", path: "/api/presence", summary: "One's own live chat presence and capacity" },
  {
    method: "put",
    path: "/api/presence",
    summary: "Set one's live chat presence: online, busy or offline (staff)",
    body: setLivePresenceSchema,
  },
  {
    method: "get",
    path: "/api/live/queue",
    summary: "Live chats waiting and being talked in scope, in queue order, and the staff online (staff)",
  },
  { method: "get", path: "/api/live/mine", summary: "Live chats offered to me and those I talk in (staff)" },
  {
    method: "get",
    path: "/api/live/report",
    summary: "Live chats asked, ended, abandoned; queue wait and handle time (staff)",
    query: reportQuerySchema,
  },
  { method: "post", path: "/api/live/ask", summary: "Ask for a live operator", body: askLiveSchema },
  {
    method: "get",
    path: "/api/live/current",
    summary: "My own live chat still open as a requester ({ chat }, null when none)",
  },
  {
    method: "get",
    path: "/api/live/ticket/{ticketId}",
    summary:
      "A ticket's live chat and the viewer's side: requester, operator or observer ({ chat }, null when none)",
  },
  {
    method: "post",
    path: "/api/live/{id}/typing",
    summary: "I am typing in a live chat: the other side is shown typing (one per 3 s is passed on)",
  },
  { method: "post", path: "/api/live/{id}/accept", summary: "Accept a live chat offered to me (staff)" },
  {
    method: "post",
    path: "/api/live/{id}/decline",
    summary: "Pass a live chat offered to me to the next operator",
  },
  { method: "post", path: "/api/live/{id}/leave", summary: "Leave the queue (the chat's requester)" },
  { method: "post", path: "/api/live/{id}/end", summary: "End a live chat (either side, or a supervisor)" },
  { method: "post", path: "/api/live/{id}/takeover", summary: "Take a live chat over (moderators, admins)" },
  {
    method: "post",
    path: "/api/live/{id}/transfer",
    summary: "Hand a live chat to another operator (supervisors, or its operator)",
    body: z.object({ operatorId: z.uuid() }),
  },
];
