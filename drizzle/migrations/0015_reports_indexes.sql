CREATE INDEX "messages_created_at_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "ticket_events_kind_created_idx" ON "ticket_events" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "tickets_first_response_at_idx" ON "tickets" USING btree ("first_response_at");