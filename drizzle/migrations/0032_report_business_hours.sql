CREATE TABLE "report_business_intervals" (
	"calendar_id" uuid NOT NULL,
	"starts_ms" bigint NOT NULL,
	"ends_ms" bigint NOT NULL,
	"before_ms" bigint NOT NULL,
	CONSTRAINT "report_business_intervals_calendar_id_starts_ms_pk" PRIMARY KEY("calendar_id","starts_ms")
);
--> statement-breakpoint
CREATE TABLE "report_business_spans" (
	"calendar_id" uuid PRIMARY KEY NOT NULL,
	"from_ms" bigint NOT NULL,
	"to_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_business_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"ready" boolean DEFAULT false NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL,
	"built_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "report_responses" ADD COLUMN "business" double precision;--> statement-breakpoint
ALTER TABLE "report_ticket_facts" ADD COLUMN "business" double precision;