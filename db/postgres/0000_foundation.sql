CREATE TABLE "audit_events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"at" bigint NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"case_id" text,
	"request_id" text,
	"ip" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"status" text NOT NULL,
	"at" bigint NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"referrer_id" text NOT NULL,
	"site_id" text,
	"queue_slug" text NOT NULL,
	"status" text NOT NULL,
	"urgency" text NOT NULL,
	"urgency_rank" bigint NOT NULL,
	"patient_ref" text NOT NULL,
	"age_years" bigint NOT NULL,
	"sex" text NOT NULL,
	"fitzpatrick" bigint,
	"body_site" text NOT NULL,
	"duration_days" bigint,
	"history" text NOT NULL,
	"question" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"quorum" bigint DEFAULT 2 NOT NULL,
	"opinions_needed" bigint DEFAULT 2 NOT NULL,
	"holders" bigint DEFAULT 0 NOT NULL,
	"waiting_since" bigint,
	"first_opinion_at" bigint,
	"answered_at" bigint,
	"was_disputed" boolean DEFAULT false NOT NULL,
	"consensus" jsonb,
	"agreement" double precision
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"case_id" text NOT NULL,
	"reviewer_id" text NOT NULL,
	"claimed_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "claims_case_id_reviewer_id_pk" PRIMARY KEY("case_id","reviewer_id")
);
--> statement-breakpoint
CREATE TABLE "follow_up_links" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"max_photos" bigint NOT NULL,
	"photos_received" bigint DEFAULT 0 NOT NULL,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"started_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"author_id" text NOT NULL,
	"body" text NOT NULL,
	"request_info" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opinions" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"reviewer_id" text NOT NULL,
	"diagnosis" jsonb NOT NULL,
	"differential" jsonb NOT NULL,
	"confidence" text NOT NULL,
	"management" text NOT NULL,
	"disposition" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "photos" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"object_key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"content_type" text NOT NULL,
	"width" bigint NOT NULL,
	"height" bigint NOT NULL,
	"bytes" bigint NOT NULL,
	"thumb_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"removed_metadata" jsonb NOT NULL,
	"uploader_type" text NOT NULL,
	"uploader_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queues" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"quorum" bigint DEFAULT 2 NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"failures" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"tier" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_queues" (
	"user_id" text NOT NULL,
	"queue_slug" text NOT NULL,
	CONSTRAINT "user_queues_user_id_queue_slug_pk" PRIMARY KEY("user_id","queue_slug")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"site_id" text,
	"password_hash" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_referrer_id_users_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_queue_slug_queues_slug_fk" FOREIGN KEY ("queue_slug") REFERENCES "public"."queues"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_links" ADD CONSTRAINT "follow_up_links_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_links" ADD CONSTRAINT "follow_up_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_queues" ADD CONSTRAINT "user_queues_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_queues" ADD CONSTRAINT "user_queues_queue_slug_queues_slug_fk" FOREIGN KEY ("queue_slug") REFERENCES "public"."queues"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seq_unique" ON "audit_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_case_idx" ON "audit_events" USING btree ("case_id","seq");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_events" USING btree ("actor_id","seq");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "cases_claimable_idx" ON "cases" USING btree ("queue_slug","urgency_rank","created_at") WHERE status in ('queued', 'in_review', 'disputed') and holders < opinions_needed;--> statement-breakpoint
CREATE INDEX "cases_referrer_idx" ON "cases" USING btree ("referrer_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_queue_idx" ON "cases" USING btree ("queue_slug","created_at");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "claims_expiry_idx" ON "claims" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "claims_reviewer_idx" ON "claims" USING btree ("reviewer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_links_token_unique" ON "follow_up_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "follow_up_links_case_idx" ON "follow_up_links" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "messages_case_idx" ON "messages" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "opinions_case_reviewer_unique" ON "opinions" USING btree ("case_id","reviewer_id");--> statement-breakpoint
CREATE INDEX "photos_case_idx" ON "photos" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "photos_object_key_unique" ON "photos" USING btree ("object_key");--> statement-breakpoint
CREATE UNIQUE INDEX "photos_thumb_key_unique" ON "photos" USING btree ("thumb_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_hash_unique" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_queues_queue_idx" ON "user_queues" USING btree ("queue_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_role_idx" ON "users" USING btree ("role");