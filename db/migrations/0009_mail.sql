CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`user_id` integer,
	`address` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text DEFAULT '{}' NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`claimed_at` integer,
	`sent_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_outbox_key_unique` ON `mail_outbox` (`key`);--> statement-breakpoint
CREATE INDEX `mail_outbox_due` ON `mail_outbox` (`state`,`next_at`);--> statement-breakpoint
CREATE TABLE `mail_prefs` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`mode` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `mail_recipients` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`address` text NOT NULL,
	`confirmed_at` integer,
	`failing_at` integer,
	`failing_reason` text,
	`digest_hour` integer DEFAULT 19 NOT NULL,
	`daily_slot` integer,
	`daily_through` integer DEFAULT 0 NOT NULL,
	`weekly_slot` integer,
	`weekly_through` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
