CREATE TABLE `audit_head` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_id` integer NOT NULL,
	`last_hash` text NOT NULL,
	CONSTRAINT "audit_head_one_row" CHECK("audit_head"."id" = 1)
);
