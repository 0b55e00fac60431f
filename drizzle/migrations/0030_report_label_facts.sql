CREATE TABLE "report_label_agent_facts" (
	"label_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"replies" integer NOT NULL,
	"finishes" integer NOT NULL,
	"touched_before" date,
	"first_secs" double precision,
	"ratings" integer NOT NULL,
	"score_sum" double precision NOT NULL,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_label_facts" (
	"label_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"n" integer NOT NULL,
	"total" double precision,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"sla_policy_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"labels" uuid[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_label_responses" (
	"label_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"responder_id" uuid NOT NULL,
	"started" timestamp with time zone NOT NULL,
	"answered" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"secs" double precision NOT NULL,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_label_rollup" (
	"label_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"branch_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"sla_policy_id" uuid NOT NULL,
	"n" bigint NOT NULL,
	"total" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "report_label_rollup_pk" PRIMARY KEY("label_id","metric","day","branch_id","category_id","priority","sla_policy_id")
);
--> statement-breakpoint
CREATE INDEX "report_label_agent_facts_ticket_idx" ON "report_label_agent_facts" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "report_label_agent_facts_day_idx" ON "report_label_agent_facts" USING btree ("label_id","day","branch_id","category_id","priority","user_id","replies","finishes","touched_before","first_secs","ratings","score_sum");--> statement-breakpoint
CREATE INDEX "report_label_facts_ticket_idx" ON "report_label_facts" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "report_label_facts_metric_day_idx" ON "report_label_facts" USING btree ("label_id","metric","day","branch_id","category_id","priority","total","n","channel","labels","ticket_id");--> statement-breakpoint
CREATE INDEX "report_label_responses_ticket_idx" ON "report_label_responses" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "report_label_responses_day_idx" ON "report_label_responses" USING btree ("label_id","day","branch_id","category_id","priority","secs");