CREATE TABLE `academic_debts` (
	`id` integer PRIMARY KEY NOT NULL,
	`student_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`statement_id` integer NOT NULL,
	`deadline` text NOT NULL,
	`cleared_at` integer,
	`cleared_by_statement_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`statement_id`) REFERENCES `statements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `debts_statement_student` ON `academic_debts` (`statement_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `debts_student` ON `academic_debts` (`student_id`);--> statement-breakpoint
CREATE INDEX `debts_course` ON `academic_debts` (`course_id`);--> statement-breakpoint
CREATE TABLE `statement_corrections` (
	`id` integer PRIMARY KEY NOT NULL,
	`statement_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`new_value` text NOT NULL,
	`reason` text NOT NULL,
	`requested_by` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	`decision_note` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`statement_id`) REFERENCES `statements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `statement_corrections_statement` ON `statement_corrections` (`statement_id`,`status`);--> statement-breakpoint
CREATE TABLE `statement_examiners` (
	`statement_id` integer NOT NULL,
	`teacher_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`statement_id`, `teacher_id`),
	FOREIGN KEY (`statement_id`) REFERENCES `statements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`teacher_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `statement_examiners_teacher` ON `statement_examiners` (`teacher_id`);--> statement-breakpoint
CREATE TABLE `statement_results` (
	`id` integer PRIMARY KEY NOT NULL,
	`statement_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`outcome` text,
	`mark` integer,
	`final_mark` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`statement_id`) REFERENCES `statements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statement_results_statement_student` ON `statement_results` (`statement_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `statement_results_student` ON `statement_results` (`student_id`);--> statement-breakpoint
CREATE TABLE `statements` (
	`id` integer PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`course_id` integer NOT NULL,
	`group_id` integer,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`opened_by` integer NOT NULL,
	`closed_by` integer,
	`closed_at` integer,
	`countersigned_by` integer,
	`countersigned_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`opened_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statements_number_unique` ON `statements` (`number`);--> statement-breakpoint
CREATE INDEX `statements_course` ON `statements` (`course_id`);