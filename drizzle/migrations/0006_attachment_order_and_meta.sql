ALTER TABLE "attachments" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "meta" jsonb;