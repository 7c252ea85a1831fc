CREATE TABLE "case_outcomes" (
	"case_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"diagnosis" jsonb NOT NULL,
	"notes" text,
	"recorded_by" text NOT NULL,
	"recorded_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trainee_opinions" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"trainee_id" text NOT NULL,
	"diagnosis" jsonb NOT NULL,
	"differential" jsonb NOT NULL,
	"confidence" text NOT NULL,
	"management" text NOT NULL,
	"disposition" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "body_site_code" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "consent_teleconsultation" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "consent_teaching" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "teaching_added_at" bigint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "teaching_added_by" text;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainee_opinions" ADD CONSTRAINT "trainee_opinions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainee_opinions" ADD CONSTRAINT "trainee_opinions_trainee_id_users_id_fk" FOREIGN KEY ("trainee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "trainee_opinions_case_trainee_unique" ON "trainee_opinions" USING btree ("case_id","trainee_id");--> statement-breakpoint
CREATE INDEX "trainee_opinions_trainee_idx" ON "trainee_opinions" USING btree ("trainee_id","created_at");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_teaching_added_by_users_id_fk" FOREIGN KEY ("teaching_added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_teaching_idx" ON "cases" USING btree ("teaching_added_at") WHERE teaching_added_at is not null;