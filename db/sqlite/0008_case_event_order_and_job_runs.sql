CREATE TABLE `job_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `case_events` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Number the existing changes of each case in the order they were written (rowid).
UPDATE `case_events` SET `seq` = (
  SELECT count(*) FROM `case_events` AS `earlier`
  WHERE `earlier`.`case_id` = `case_events`.`case_id` AND `earlier`.`rowid` <= `case_events`.`rowid`
);
