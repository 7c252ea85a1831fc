CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`referrer_id` text NOT NULL,
	`site_id` text,
	`queue_slug` text NOT NULL,
	`status` text NOT NULL,
	`urgency` text NOT NULL,
	`urgency_rank` integer NOT NULL,
	`patient_ref` text NOT NULL,
	`age_years` integer NOT NULL,
	`sex` text NOT NULL,
	`fitzpatrick` integer,
	`body_site` text NOT NULL,
	`duration_days` integer,
	`history` text NOT NULL,
	`question` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`referrer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`queue_slug`) REFERENCES `queues`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cases_referrer_idx` ON `cases` (`referrer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `cases_queue_idx` ON `cases` (`queue_slug`,`created_at`);--> statement-breakpoint
CREATE INDEX `cases_status_idx` ON `cases` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `photos` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`kind` text NOT NULL,
	`object_key` text NOT NULL,
	`thumb_key` text NOT NULL,
	`content_type` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`thumb_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`removed_metadata` text NOT NULL,
	`uploader_type` text NOT NULL,
	`uploader_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `photos_case_idx` ON `photos` (`case_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `photos_object_key_unique` ON `photos` (`object_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `photos_thumb_key_unique` ON `photos` (`thumb_key`);