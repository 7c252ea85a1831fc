CREATE TABLE "case_visits" (
	"user_id" text NOT NULL,
	"case_id" text NOT NULL,
	"visited_at" bigint NOT NULL,
	CONSTRAINT "case_visits_user_id_case_id_pk" PRIMARY KEY("user_id","case_id")
);
--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "author_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "author_type" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "link_id" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "display_key" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "display_bytes" bigint;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "contact" text;--> statement-breakpoint
ALTER TABLE "case_visits" ADD CONSTRAINT "case_visits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_visits" ADD CONSTRAINT "case_visits_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_link_id_follow_up_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."follow_up_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "photos_display_key_unique" ON "photos" USING btree ("display_key");