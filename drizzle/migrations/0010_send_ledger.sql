CREATE TABLE "send_ledger" (
	"key" text PRIMARY KEY NOT NULL,
	"notification_id" uuid,
	"part" integer NOT NULL,
	"chat_id" bigint NOT NULL,
	"method" text NOT NULL,
	"fingerprint" text NOT NULL,
	"markup" jsonb,
	"message_count" integer DEFAULT 1 NOT NULL,
	"after_message_id" integer,
	"state" text DEFAULT 'intent' NOT NULL,
	"result" jsonb,
	"last_message_id" integer,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "send_ledger" ADD CONSTRAINT "send_ledger_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "send_ledger_part_idx" ON "send_ledger" USING btree ("notification_id","part");--> statement-breakpoint
CREATE INDEX "send_ledger_chat_idx" ON "send_ledger" USING btree ("chat_id","last_message_id");