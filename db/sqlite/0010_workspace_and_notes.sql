CREATE TABLE `case_visits` (
	`user_id` text NOT NULL,
	`case_id` text NOT NULL,
	`visited_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `case_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`author_type` text DEFAULT 'user' NOT NULL,
	`author_id` text,
	`link_id` text,
	`body` text NOT NULL,
	`request_info` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`link_id`) REFERENCES `follow_up_links`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "case_id", "author_id", "body", "request_info", "created_at") SELECT "id", "case_id", "author_id", "body", "request_info", "created_at" FROM `messages`;--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `messages_case_idx` ON `messages` (`case_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `photos` ADD `display_key` text;--> statement-breakpoint
ALTER TABLE `photos` ADD `display_bytes` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `photos_display_key_unique` ON `photos` (`display_key`);--> statement-breakpoint
ALTER TABLE `sites` ADD `contact` text;