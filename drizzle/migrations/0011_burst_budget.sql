ALTER TYPE "public"."notification_type" ADD VALUE 'received';--> statement-breakpoint
CREATE TABLE "bot_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chat_id" bigint NOT NULL,
	"calls" integer DEFAULT 1 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "delivery_chats" (
	"chat_id" bigint PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone,
	"paused_until" timestamp with time zone,
	"idle_since" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "carried_by" uuid;--> statement-breakpoint
CREATE INDEX "bot_calls_done_idx" ON "bot_calls" USING btree ("done_at");--> statement-breakpoint
CREATE INDEX "bot_calls_chat_done_idx" ON "bot_calls" USING btree ("chat_id","done_at");--> statement-breakpoint
CREATE INDEX "bot_calls_in_flight_idx" ON "bot_calls" USING btree ("chat_id","expires_at") WHERE done_at is null;--> statement-breakpoint
CREATE INDEX "delivery_chats_due_idx" ON "delivery_chats" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "delivery_chats_idle_idx" ON "delivery_chats" USING btree ("idle_since") WHERE due_at is null;--> statement-breakpoint
CREATE INDEX "notifications_queue_idx" ON "notifications" USING btree ("chat_id","seq") WHERE state in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "notifications_queue_ticket_idx" ON "notifications" USING btree ("chat_id","ticket_id","seq") WHERE state in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "notifications_queue_cards_idx" ON "notifications" USING btree ("chat_id","seq") WHERE state in ('pending', 'sending') and type = 'new_ticket';--> statement-breakpoint
CREATE INDEX "notifications_carried_idx" ON "notifications" USING btree ("carried_by") WHERE carried_by is not null;--> statement-breakpoint
-- A row queued for an idle chat (written, or put back by an admin's retry) makes
-- the chat due: every path that queues a notification registers its chat, whoever
-- writes it. A chat already active is left alone without a lock (a busy staff
-- chat is written to by every ticket's transaction): the claim that finds its
-- queue empty is the only one that makes it idle, and its revive sweep catches a
-- row committed in that same instant (server/jobs/outbox/claim.ts).
CREATE OR REPLACE FUNCTION delivery_chat_queued() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM delivery_chats WHERE chat_id = NEW.chat_id AND due_at IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  INSERT INTO delivery_chats (chat_id, due_at) VALUES (NEW.chat_id, NEW.next_attempt_at)
  ON CONFLICT (chat_id) DO UPDATE SET due_at = EXCLUDED.due_at, idle_since = NULL
  WHERE delivery_chats.due_at IS NULL;
  RETURN NULL;
END $$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER notifications_queued_insert AFTER INSERT ON notifications
  FOR EACH ROW WHEN (NEW.state = 'pending') EXECUTE FUNCTION delivery_chat_queued();--> statement-breakpoint
CREATE TRIGGER notifications_queued_update AFTER UPDATE OF state ON notifications
  FOR EACH ROW WHEN (NEW.state = 'pending' AND OLD.state <> 'pending')
  EXECUTE FUNCTION delivery_chat_queued();--> statement-breakpoint
INSERT INTO delivery_chats (chat_id, due_at)
  SELECT chat_id, min(next_attempt_at) FROM notifications WHERE state IN ('pending', 'sending') GROUP BY chat_id
  ON CONFLICT (chat_id) DO NOTHING;
