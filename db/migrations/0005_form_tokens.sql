CREATE TABLE `form_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`used_at` integer NOT NULL,
	`location` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `form_tokens_used` ON `form_tokens` (`used_at`);