ALTER TABLE "processed_updates" ADD COLUMN "finished" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Rows written before claims existed were recorded after their handlers ran.
UPDATE "processed_updates" SET "finished" = true;
