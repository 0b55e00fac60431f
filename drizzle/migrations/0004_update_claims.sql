ALTER TABLE "processed_updates" ADD COLUMN "finished" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "processed_updates" ADD COLUMN "claimed_by" text;--> statement-breakpoint
-- Rows written before claims existed were recorded after their handlers ran (and an
-- instance of the earlier version, still running during an upgrade, writes rows
-- without claimed_by: those count as finished too).
UPDATE "processed_updates" SET "finished" = true;
