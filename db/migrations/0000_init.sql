CREATE TABLE `absence_reasons` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`requires_makeup` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `absence_reasons_code_unique` ON `absence_reasons` (`code`);--> statement-breakpoint
CREATE TABLE `admission_overrides` (
	`id` integer PRIMARY KEY NOT NULL,
	`course_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`admitted` integer NOT NULL,
	`reason` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `overrides_course_student` ON `admission_overrides` (`course_id`,`student_id`);--> statement-breakpoint
CREATE TABLE `attendance` (
	`id` integer PRIMARY KEY NOT NULL,
	`lesson_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`status` text,
	`reason_status` text DEFAULT 'unknown' NOT NULL,
	`reason_id` integer,
	`document_ref` text,
	`approved_by` integer,
	`approved_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reason_id`) REFERENCES `absence_reasons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_lesson_student` ON `attendance` (`lesson_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `attendance_student` ON `attendance` (`student_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`actor_role` text,
	`ip` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` integer,
	`student_id` integer,
	`course_id` integer,
	`lesson_id` integer,
	`before` text,
	`after` text,
	`reason` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_student` ON `audit_log` (`student_id`);--> statement-breakpoint
CREATE INDEX `audit_course` ON `audit_log` (`course_id`);--> statement-breakpoint
CREATE INDEX `audit_lesson_student` ON `audit_log` (`lesson_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `correction_requests` (
	`id` integer PRIMARY KEY NOT NULL,
	`lesson_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`field` text NOT NULL,
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
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `corrections_status` ON `correction_requests` (`status`);--> statement-breakpoint
CREATE TABLE `course_groups` (
	`course_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	PRIMARY KEY(`course_id`, `group_id`),
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `course_groups_group` ON `course_groups` (`group_id`);--> statement-breakpoint
CREATE TABLE `course_teachers` (
	`course_id` integer NOT NULL,
	`teacher_id` integer NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`course_id`, `teacher_id`),
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`teacher_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `course_teachers_teacher` ON `course_teachers` (`teacher_id`);--> statement-breakpoint
CREATE TABLE `courses` (
	`id` integer PRIMARY KEY NOT NULL,
	`subject_id` integer NOT NULL,
	`term_id` integer NOT NULL,
	`scale_id` integer NOT NULL,
	`rules` text DEFAULT '{}' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`subject_id`) REFERENCES `subjects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`term_id`) REFERENCES `terms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scale_id`) REFERENCES `scales`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `courses_term` ON `courses` (`term_id`);--> statement-breakpoint
CREATE TABLE `departments` (
	`id` integer PRIMARY KEY NOT NULL,
	`faculty_id` integer NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`faculty_id`) REFERENCES `faculties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `disputes` (
	`id` integer PRIMARY KEY NOT NULL,
	`student_id` integer NOT NULL,
	`lesson_id` integer NOT NULL,
	`subject` text NOT NULL,
	`comment` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`answer` text,
	`resolved_by` integer,
	`resolved_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `disputes_student` ON `disputes` (`student_id`);--> statement-breakpoint
CREATE INDEX `disputes_lesson` ON `disputes` (`lesson_id`);--> statement-breakpoint
CREATE TABLE `excused_periods` (
	`id` integer PRIMARY KEY NOT NULL,
	`student_id` integer NOT NULL,
	`reason_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`document_ref` text,
	`note` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reason_id`) REFERENCES `absence_reasons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `excused_student` ON `excused_periods` (`student_id`);--> statement-breakpoint
CREATE TABLE `faculties` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `faculties_code_unique` ON `faculties` (`code`);--> statement-breakpoint
CREATE TABLE `group_memberships` (
	`id` integer PRIMARY KEY NOT NULL,
	`student_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `memberships_student` ON `group_memberships` (`student_id`);--> statement-breakpoint
CREATE INDEX `memberships_group` ON `group_memberships` (`group_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY NOT NULL,
	`faculty_id` integer NOT NULL,
	`name` text NOT NULL,
	`programme` text DEFAULT 'degree' NOT NULL,
	`year` integer NOT NULL,
	`language` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`faculty_id`) REFERENCES `faculties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_name_unique` ON `groups` (`name`);--> statement-breakpoint
CREATE TABLE `guardian_links` (
	`id` integer PRIMARY KEY NOT NULL,
	`guardian_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`scope` text NOT NULL,
	`consent` text NOT NULL,
	`consent_note` text,
	`consented_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`guardian_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `links_guardian` ON `guardian_links` (`guardian_id`);--> statement-breakpoint
CREATE INDEX `links_student` ON `guardian_links` (`student_id`);--> statement-breakpoint
CREATE TABLE `lessons` (
	`id` integer PRIMARY KEY NOT NULL,
	`course_id` integer NOT NULL,
	`group_id` integer,
	`kind` text NOT NULL,
	`topic` text DEFAULT '' NOT NULL,
	`date` text NOT NULL,
	`starts_at` integer NOT NULL,
	`cancelled` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lessons_course_date` ON `lessons` (`course_id`,`date`);--> statement-breakpoint
CREATE TABLE `makeups` (
	`id` integer PRIMARY KEY NOT NULL,
	`lesson_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`status` text NOT NULL,
	`done_on` text,
	`teacher_id` integer,
	`mark` integer,
	`waive_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`teacher_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `makeups_lesson_student` ON `makeups` (`lesson_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `makeups_student` ON `makeups` (`student_id`);--> statement-breakpoint
CREATE TABLE `marks` (
	`id` integer PRIMARY KEY NOT NULL,
	`lesson_id` integer NOT NULL,
	`student_id` integer NOT NULL,
	`value` integer,
	`comment` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `marks_lesson_student` ON `marks` (`lesson_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `marks_student` ON `marks` (`student_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`student_id` integer,
	`course_id` integer,
	`audit_id` integer,
	`payload` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_user` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
CREATE TABLE `pairing_codes` (
	`id` integer PRIMARY KEY NOT NULL,
	`student_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`scope` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pairing_codes_code_hash_unique` ON `pairing_codes` (`code_hash`);--> statement-breakpoint
CREATE TABLE `password_resets` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_by` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_resets_token_hash_unique` ON `password_resets` (`token_hash`);--> statement-breakpoint
CREATE TABLE `scales` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`min` integer NOT NULL,
	`max` integer NOT NULL,
	`pass_min` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scales_code_unique` ON `scales` (`code`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `subjects` (
	`id` integer PRIMARY KEY NOT NULL,
	`department_id` integer NOT NULL,
	`code` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subjects_code_unique` ON `subjects` (`code`);--> statement-breakpoint
CREATE TABLE `terms` (
	`id` integer PRIMARY KEY NOT NULL,
	`name_ru` text NOT NULL,
	`name_en` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`locked_at` integer,
	`locked_by` integer,
	`lock_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_roles` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	`faculty_id` integer,
	`department_id` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`faculty_id`) REFERENCES `faculties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `user_roles_user` ON `user_roles` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text,
	`surname` text NOT NULL,
	`given_name` text NOT NULL,
	`patronymic` text,
	`record_book` text,
	`country` text,
	`lang` text DEFAULT 'ru' NOT NULL,
	`time_zone` text DEFAULT 'Europe/Minsk' NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`notify_muted` text DEFAULT '[]' NOT NULL,
	`last_seen_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);