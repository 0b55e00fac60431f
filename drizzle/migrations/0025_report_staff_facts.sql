CREATE TABLE "report_agent_facts" (
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
CREATE TABLE "report_responses" (
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
CREATE INDEX "report_agent_facts_ticket_idx" ON "report_agent_facts" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "report_agent_facts_day_idx" ON "report_agent_facts" USING btree ("day","branch_id","category_id","priority","user_id","replies","finishes","touched_before","first_secs","ratings","score_sum");--> statement-breakpoint
CREATE INDEX "report_responses_ticket_idx" ON "report_responses" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "report_responses_day_idx" ON "report_responses" USING btree ("day","branch_id","category_id","priority","secs");