CREATE TABLE "email_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"event_seq" bigint NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"case_id" text,
	"dedupe_key" text NOT NULL,
	"status" text NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"lease_until" bigint DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL,
	"sent_at" bigint,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"at" bigint NOT NULL,
	"case_id" text,
	"queue_slug" text,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"data" jsonb NOT NULL,
	"dispatched" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"webhook_id" text NOT NULL,
	"event_seq" bigint NOT NULL,
	"event_type" text NOT NULL,
	"status" text NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"lease_until" bigint DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL,
	"last_attempt_at" bigint,
	"delivered_at" bigint,
	"response_status" bigint,
	"last_error" text,
	"duration_ms" bigint
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"events" jsonb NOT NULL,
	"secret" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"deleted_at" bigint
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "due_at" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "overdue_notified_at" bigint;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "deadline_hours" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_preferences" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "email_notifications" ADD CONSTRAINT "email_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_notifications_dedupe_unique" ON "email_notifications" USING btree ("user_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "email_notifications_due_idx" ON "email_notifications" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_dispatch_idx" ON "outbox_events" USING btree ("dispatched","seq");--> statement-breakpoint
CREATE INDEX "outbox_at_idx" ON "outbox_events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_unique" ON "webhook_deliveries" USING btree ("webhook_id","event_seq");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_log_idx" ON "webhook_deliveries" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_due_idx" ON "cases" USING btree ("due_at") WHERE overdue_notified_at is null and status in ('queued', 'in_review', 'needs_info', 'disputed');--> statement-breakpoint
-- Written by hand: cases from before deadlines get theirs (the default targets), and those already past it
-- count as announced, so that upgrading does not send one overdue email per old case.
UPDATE "cases" SET "due_at" = "created_at" + (CASE "urgency" WHEN 'urgent' THEN 4 WHEN 'soon' THEN 24 ELSE 72 END) * 3600000;--> statement-breakpoint
UPDATE "cases" SET "overdue_notified_at" = (extract(epoch from now()) * 1000)::bigint WHERE "due_at" <= (extract(epoch from now()) * 1000)::bigint;
