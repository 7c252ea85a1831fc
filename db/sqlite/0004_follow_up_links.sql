CREATE TABLE `follow_up_links` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`max_photos` integer NOT NULL,
	`photos_received` integer DEFAULT 0 NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_up_links_token_unique` ON `follow_up_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `follow_up_links_case_idx` ON `follow_up_links` (`case_id`);