CREATE TABLE "report_rollup" (
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"sla_policy_id" uuid NOT NULL,
	"n" bigint NOT NULL,
	"total" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "report_rollup_metric_day_branch_id_category_id_priority_sla_policy_id_pk" PRIMARY KEY("metric","day","branch_id","category_id","priority","sla_policy_id")
);
--> statement-breakpoint
CREATE TABLE "report_rollup_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"time_zone" text NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_ticket_facts" (
	"ticket_id" uuid NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"n" integer NOT NULL,
	"total" double precision,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"sla_policy_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE INDEX "report_ticket_facts_ticket_idx" ON "report_ticket_facts" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "report_ticket_facts_metric_day_idx" ON "report_ticket_facts" USING btree ("metric","day","branch_id","category_id","priority","total");