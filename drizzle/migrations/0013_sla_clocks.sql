ALTER TYPE "public"."event_kind" ADD VALUE 'sla_warning' BEFORE 'merge';--> statement-breakpoint
ALTER TYPE "public"."notification_type" ADD VALUE 'sla_warning' BEFORE 'system';--> statement-breakpoint
CREATE TABLE "business_calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"week" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"branch_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_calendars_branch_key" UNIQUE NULLS NOT DISTINCT("branch_id")
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"priority" "priority" NOT NULL,
	"category_id" uuid,
	"branch_id" uuid,
	"first_response_minutes" integer,
	"next_response_minutes" integer,
	"resolution_minutes" integer,
	"warn_percent" integer DEFAULT 20 NOT NULL,
	"warn_minutes" integer,
	"business_hours" boolean DEFAULT false NOT NULL,
	"escalation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_scope_key" UNIQUE NULLS NOT DISTINCT("priority","category_id","branch_id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "next_response_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_policy_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_state" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_clock" jsonb;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sla_policies_priority_idx" ON "sla_policies" USING btree ("priority") WHERE "sla_policies"."active";--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_sla_policy_id_sla_policies_id_fk" FOREIGN KEY ("sla_policy_id") REFERENCES "public"."sla_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_sla_state_idx" ON "tickets" USING btree ("sla_state") WHERE "tickets"."sla_state" in ('at_risk', 'breached');--> statement-breakpoint
CREATE INDEX "tickets_escalated_idx" ON "tickets" USING btree ("escalated_at") WHERE "tickets"."escalated_at" is not null;--> statement-breakpoint
-- One policy per priority from the old `sla` setting (or its defaults), in wall time as before.
INSERT INTO "sla_policies" ("name", "priority", "first_response_minutes", "resolution_minutes")
SELECT d.p, d.p::"priority",
       coalesce((s."value"->d.p->>'firstResponse')::int, d.fr),
       coalesce((s."value"->d.p->>'resolution')::int, d.res)
FROM (VALUES ('critical', 30, 240), ('high', 120, 480), ('normal', 480, 4320), ('low', 1440, 10080)) AS d(p, fr, res)
LEFT JOIN "settings" s ON s."key" = 'sla';
