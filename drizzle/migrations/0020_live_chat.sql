CREATE TABLE "live_chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"requester_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"branch_id" uuid,
	"state" text DEFAULT 'queued' NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"offered_to" uuid,
	"offer_expires_at" timestamp with time zone,
	"operator_id" uuid,
	"accepted_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	"passed_by" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"position_notice_id" uuid,
	"last_position" integer,
	"position_told_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_chats_ticket_id_unique" UNIQUE("ticket_id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "channel" text DEFAULT 'ticket' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_active_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "live_capacity" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "live_idle_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "live_chats" ADD CONSTRAINT "live_chats_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_chats" ADD CONSTRAINT "live_chats_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_chats" ADD CONSTRAINT "live_chats_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_chats" ADD CONSTRAINT "live_chats_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_chats" ADD CONSTRAINT "live_chats_offered_to_users_id_fk" FOREIGN KEY ("offered_to") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_chats" ADD CONSTRAINT "live_chats_operator_id_users_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_chats" ADD CONSTRAINT "live_chats_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "live_chats_state_queued_idx" ON "live_chats" USING btree ("state","queued_at");--> statement-breakpoint
CREATE INDEX "live_chats_operator_state_idx" ON "live_chats" USING btree ("operator_id","state");--> statement-breakpoint
CREATE INDEX "live_chats_offered_to_idx" ON "live_chats" USING btree ("offered_to");--> statement-breakpoint
CREATE UNIQUE INDEX "live_chats_one_open_per_requester" ON "live_chats" USING btree ("requester_id") WHERE "live_chats"."state" in ('queued', 'offered', 'active');