CREATE TABLE `case_outcomes` (
	`case_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`diagnosis` text NOT NULL,
	`notes` text,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `trainee_opinions` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`trainee_id` text NOT NULL,
	`diagnosis` text NOT NULL,
	`differential` text NOT NULL,
	`confidence` text NOT NULL,
	`management` text NOT NULL,
	`disposition` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trainee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trainee_opinions_case_trainee_unique` ON `trainee_opinions` (`case_id`,`trainee_id`);--> statement-breakpoint
CREATE INDEX `trainee_opinions_trainee_idx` ON `trainee_opinions` (`trainee_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `cases` ADD `body_site_code` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `consent_teleconsultation` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `consent_teaching` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `teaching_added_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `teaching_added_by` text REFERENCES users(id);--> statement-breakpoint
CREATE INDEX `cases_teaching_idx` ON `cases` (`teaching_added_at`) WHERE teaching_added_at is not null;