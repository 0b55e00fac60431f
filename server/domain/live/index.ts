export { acceptLive, declineLive, liveOfferTimeout } from "./answer.js";
export { type AskLiveResult, askLive, LIVE_TICKET_TITLE } from "./ask.js";
export { endLive, leaveLiveQueue } from "./end.js";
export { liveOpenNow } from "./hours.js";
export { noteLiveActivity, presenceTimeout, setLivePresence, touchPresence } from "./presence.js";
export { type LiveChatView, liveBoard, myLiveChats, openLiveChatsOf } from "./read.js";
export { routeQueue } from "./routing.js";
export {
  askLiveSchema,
  liveChatIdSchema,
  liveTicketSchema,
  setLivePresenceSchema,
  transferLiveSchema,
} from "./schemas.js";
export { takeOverLive, transferLive } from "./supervise.js";
export { type LiveTypingResult, signalLiveTyping, TYPING_GAP_S } from "./typing.js";
export { type LiveChatOfTicket, type LiveSide, liveChatOfTicket, myOpenLiveChat } from "./view.js";
