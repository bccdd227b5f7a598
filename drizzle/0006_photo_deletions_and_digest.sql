CREATE TABLE `photo_deletions` (
	`object_key` text PRIMARY KEY NOT NULL,
	`failed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `users_created_idx` ON `users` (`created_at`);