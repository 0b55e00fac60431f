-- Text search in the queue (number, title, description) with a trigram index, so
-- "contains" searches stay fast on large queues. pg_trgm ships with PostgreSQL's
-- contrib and with PGlite (loaded by drizzle/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tickets_search_trgm_idx" ON "tickets" USING gin ((("number" || ' ' || "title" || ' ' || "description")) gin_trgm_ops);
