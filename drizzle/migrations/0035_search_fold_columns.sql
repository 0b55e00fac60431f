-- The queue's search reads each ticket's and each message's text folded
-- (helpdesk_fold, 0017). Folding is translate() over a 40-character table, about
-- 20 µs a row on PostgreSQL 15: a search that tests a few thousand tickets one by
-- one, or rechecks the rows a trigram index found, spent nearly all its time
-- folding the same unchanged text again. The folded text is now stored with the
-- row (computed once, when it is written) and the trigram indexes are built on
-- it, so a test or a recheck is a plain LIKE. Not in drizzle/schema: nothing but
-- the search reads these columns (server/domain/tickets/search-filter.ts).
ALTER TABLE "tickets" ADD COLUMN IF NOT EXISTS "search_fold" text
  GENERATED ALWAYS AS (helpdesk_fold("number" || ' ' || "title" || ' ' || "description")) STORED;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN IF NOT EXISTS "body_fold" text
  GENERATED ALWAYS AS (helpdesk_fold("body")) STORED;--> statement-breakpoint
DROP INDEX IF EXISTS "tickets_search_fold_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "messages_search_fold_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tickets_search_fold_col_idx" ON "tickets" USING gin ("search_fold" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_body_fold_idx" ON "messages" USING gin ("body_fold" gin_trgm_ops);
