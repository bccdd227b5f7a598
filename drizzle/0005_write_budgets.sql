CREATE TABLE `write_budgets` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`used` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `write_budgets_window_idx` ON `write_budgets` (`window_start`);