CREATE TABLE `mobility_applications` (
	`id` integer PRIMARY KEY NOT NULL,
	`call_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`faculty_id` integer NOT NULL,
	`motivation` text NOT NULL,
	`applied_at` integer NOT NULL,
	`activity_points` integer DEFAULT 0 NOT NULL,
	`achievement_points` integer DEFAULT 0 NOT NULL,
	`points_note` text,
	`decision` text DEFAULT 'pending' NOT NULL,
	`decision_reason` text,
	`decided_by` integer,
	`decided_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`call_id`) REFERENCES `mobility_calls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`faculty_id`) REFERENCES `faculties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mobility_applications_call_student` ON `mobility_applications` (`call_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `mobility_applications_student` ON `mobility_applications` (`student_id`);--> statement-breakpoint
CREATE TABLE `mobility_calls` (
	`id` integer PRIMARY KEY NOT NULL,
	`partner_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`programme` text NOT NULL,
	`year` integer NOT NULL,
	`deadline` text NOT NULL,
	`weights` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `mobility_partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `mobility_calls_partner` ON `mobility_calls` (`partner_id`);--> statement-breakpoint
CREATE TABLE `mobility_partners` (
	`id` integer PRIMARY KEY NOT NULL,
	`name_original` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`country` text NOT NULL,
	`agreement_number` text NOT NULL,
	`agreement_from` text NOT NULL,
	`agreement_to` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `mobility_placements` (
	`id` integer PRIMARY KEY NOT NULL,
	`application_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`partner_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`order_number` text NOT NULL,
	`excused_period_id` integer,
	`cancelled_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `mobility_applications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `mobility_partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`excused_period_id`) REFERENCES `excused_periods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mobility_placements_application` ON `mobility_placements` (`application_id`);--> statement-breakpoint
CREATE INDEX `mobility_placements_student` ON `mobility_placements` (`student_id`);--> statement-breakpoint
CREATE TABLE `mobility_quotas` (
	`call_id` integer NOT NULL,
	`faculty_id` integer NOT NULL,
	`places` integer NOT NULL,
	PRIMARY KEY(`call_id`, `faculty_id`),
	FOREIGN KEY (`call_id`) REFERENCES `mobility_calls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`faculty_id`) REFERENCES `faculties`(`id`) ON UPDATE no action ON DELETE no action
);
