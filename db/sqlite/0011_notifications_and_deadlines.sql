CREATE TABLE `email_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`event_seq` integer NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`case_id` text,
	`dedupe_key` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`last_error` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_notifications_dedupe_unique` ON `email_notifications` (`user_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `email_notifications_due_idx` ON `email_notifications` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `outbox_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`case_id` text,
	`queue_slug` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`data` text NOT NULL,
	`dispatched` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_dispatch_idx` ON `outbox_events` (`dispatched`,`seq`);--> statement-breakpoint
CREATE INDEX `outbox_at_idx` ON `outbox_events` (`at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`event_seq` integer NOT NULL,
	`event_type` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`last_attempt_at` integer,
	`delivered_at` integer,
	`response_status` integer,
	`last_error` text,
	`duration_ms` integer,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_unique` ON `webhook_deliveries` (`webhook_id`,`event_seq`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_log_idx` ON `webhook_deliveries` (`webhook_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`secret` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `due_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `overdue_notified_at` integer;--> statement-breakpoint
CREATE INDEX `cases_due_idx` ON `cases` (`due_at`) WHERE overdue_notified_at is null and status in ('queued', 'in_review', 'needs_info', 'disputed');--> statement-breakpoint
ALTER TABLE `queues` ADD `deadline_hours` text;--> statement-breakpoint
ALTER TABLE `users` ADD `email_preferences` text;--> statement-breakpoint
ALTER TABLE `users` ADD `language` text;--> statement-breakpoint
-- Written by hand: cases from before deadlines get theirs (the default targets), and those already past it
-- count as announced, so that upgrading does not send one overdue email per old case.
UPDATE `cases` SET `due_at` = `created_at` + (CASE `urgency` WHEN 'urgent' THEN 4 WHEN 'soon' THEN 24 ELSE 72 END) * 3600000;--> statement-breakpoint
UPDATE `cases` SET `overdue_notified_at` = (cast(strftime('%s','now') as integer) * 1000) WHERE `due_at` <= (cast(strftime('%s','now') as integer) * 1000);
