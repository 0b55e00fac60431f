-- Persian-aware search (server/domain/search.ts): text typed with Arabic ي/ى/ك or
-- Persian ی/ک, with or without ZWNJ, with Persian, Arabic or Latin digits, reads
-- alike. helpdesk_fold is the one fold both sides of a search go through; its
-- table is FOLD_FROM / FOLD_TO in search.ts, and a test holds the two equal.
CREATE OR REPLACE FUNCTION helpdesk_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT translate(lower(t),
    'يىكۀةأإ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹' || E'\u200c\u200d\u200e\u200f\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652',
    'ییکههاا01234567890123456789') $$;--> statement-breakpoint
-- The queue's search: the ticket's own text (replaces 0003's unfolded index) and every message.
DROP INDEX IF EXISTS "tickets_search_trgm_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tickets_search_fold_idx" ON "tickets" USING gin (helpdesk_fold("number" || ' ' || "title" || ' ' || "description") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_search_fold_idx" ON "messages" USING gin (helpdesk_fold("body") gin_trgm_ops);
