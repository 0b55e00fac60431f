CREATE TABLE "report_group_facts" (
	"ticket_id" uuid NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"n" integer NOT NULL,
	"total" double precision,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_group_rollup" (
	"dim" text NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"key" text NOT NULL,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "report_group_rollup_dim_metric_day_key_branch_id_category_id_priority_pk" PRIMARY KEY("dim","metric","day","key","branch_id","category_id","priority")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "requester_channel" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
CREATE INDEX "report_group_facts_ticket_idx" ON "report_group_facts" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "report_group_facts_metric_day_idx" ON "report_group_facts" USING btree ("dim","metric","day","branch_id","category_id","priority","key","total");--> statement-breakpoint
CREATE INDEX "tickets_requester_channel_idx" ON "tickets" USING btree ("requester_channel","updated_at","id");