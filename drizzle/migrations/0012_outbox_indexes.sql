DROP INDEX "notifications_due_idx";--> statement-breakpoint
CREATE INDEX "delivery_chats_group_due_idx" ON "delivery_chats" USING btree ("due_at") WHERE chat_id < 0;