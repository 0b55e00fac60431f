DROP INDEX "notifications_chat_idx";--> statement-breakpoint
DROP INDEX "notifications_sent_idx";--> statement-breakpoint
DROP INDEX "notifications_chat_sent_idx";--> statement-breakpoint
DROP INDEX "notifications_unread_idx";--> statement-breakpoint
ALTER TABLE "delivery_chats" ADD COLUMN "live" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "delivery_chats_live_due_idx" ON "delivery_chats" USING btree ("due_at") WHERE live;--> statement-breakpoint
CREATE INDEX "notifications_chat_message_idx" ON "notifications" USING btree ("chat_id","sent_message_id") WHERE sent_message_id is not null;--> statement-breakpoint
CREATE INDEX "notifications_failed_idx" ON "notifications" USING btree ("seq") WHERE state in ('failed', 'skipped');