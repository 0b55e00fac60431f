/** What the delivery adapter names from elsewhere: the domain's types and Telegraf's client. */
export type { Telegram } from "telegraf";
export {
  type Attachment,
  type Db,
  type Deliverer,
  DeliveryError,
  type DeliveryResult,
  type DeliveryStore,
  type FileStore,
  type Language,
  type Notification,
  type NotificationFacts,
  type Ticket,
  type TicketStatus,
} from "../../server/domain/index.js";
