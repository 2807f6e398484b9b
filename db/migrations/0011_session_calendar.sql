CREATE TABLE `session_dates` (
	`id` integer PRIMARY KEY NOT NULL,
	`course_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`reserve_date` text,
	`start_time` text,
	`room` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_dates_course_group_kind` ON `session_dates` (`course_id`,`group_id`,`kind`);--> statement-breakpoint
CREATE INDEX `session_dates_group` ON `session_dates` (`group_id`,`date`);