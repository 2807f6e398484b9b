CREATE TABLE `mobility_recognitions` (
	`id` integer PRIMARY KEY NOT NULL,
	`placement_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`partner_id` integer NOT NULL,
	`outcome` text NOT NULL,
	`mark` integer,
	`partner_course` text NOT NULL,
	`partner_grade` text NOT NULL,
	`recognised_on` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`placement_id`) REFERENCES `mobility_placements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `mobility_partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mobility_recognitions_student_course` ON `mobility_recognitions` (`student_id`,`course_id`);--> statement-breakpoint
CREATE INDEX `mobility_recognitions_placement` ON `mobility_recognitions` (`placement_id`);