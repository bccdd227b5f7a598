CREATE TABLE `absences` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`group_id` text,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "absences_dates_ordered" CHECK("absences"."to_date" >= "absences"."from_date")
);
--> statement-breakpoint
CREATE INDEX `absences_user_to_idx` ON `absences` (`user_id`,`to_date`,`from_date`);--> statement-breakpoint
CREATE INDEX `absences_group_idx` ON `absences` (`group_id`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`group_id` text PRIMARY KEY NOT NULL,
	`rule` text,
	`start_date` text NOT NULL,
	`skip_dates` text DEFAULT '[]' NOT NULL,
	`lead_days` integer DEFAULT 14 NOT NULL,
	`auto_assign` integer DEFAULT false NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `events` ADD `ledger_share` real;--> statement-breakpoint
ALTER TABLE `events` ADD `ledger_baker_id` text;--> statement-breakpoint
ALTER TABLE `events` ADD `ledger_run` text;--> statement-breakpoint
CREATE INDEX `events_ledger_due_idx` ON `events` (`group_id`,`date`) WHERE "events"."ledger_share" is null;--> statement-breakpoint
ALTER TABLE `groups` ADD `language` text DEFAULT 'de' NOT NULL;--> statement-breakpoint
ALTER TABLE `memberships` ADD `balance` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `memberships` ADD `cakes_baked` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `memberships` ADD `cakes_shared` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `memberships` ADD `last_baked_on` text;