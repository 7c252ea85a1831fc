CREATE TABLE `case_events` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`status` text NOT NULL,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_events_case_idx` ON `case_events` (`case_id`,`at`);--> statement-breakpoint
CREATE TABLE `claims` (
	`case_id` text NOT NULL,
	`reviewer_id` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`case_id`, `reviewer_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `claims_expiry_idx` ON `claims` (`expires_at`);--> statement-breakpoint
CREATE INDEX `claims_reviewer_idx` ON `claims` (`reviewer_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`request_info` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_case_idx` ON `messages` (`case_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `opinions` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`reviewer_id` text NOT NULL,
	`diagnosis` text NOT NULL,
	`differential` text NOT NULL,
	`confidence` text NOT NULL,
	`management` text NOT NULL,
	`disposition` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `opinions_case_reviewer_unique` ON `opinions` (`case_id`,`reviewer_id`);--> statement-breakpoint
ALTER TABLE `cases` ADD `quorum` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `opinions_needed` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `holders` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `waiting_since` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `first_opinion_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `answered_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `was_disputed` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `consensus` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `agreement` real;--> statement-breakpoint
CREATE INDEX `cases_claimable_idx` ON `cases` (`queue_slug`,`urgency_rank`,`created_at`) WHERE status in ('queued', 'in_review', 'disputed');