CREATE TABLE `handovers` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`group_id` text NOT NULL,
	`offered_by` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`taken_by` text,
	`take_token` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`offered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`taken_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "handovers_status_valid" CHECK("handovers"."status" in ('open', 'taken', 'withdrawn'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `handovers_open_event_unique` ON `handovers` (`event_id`) WHERE "handovers"."status" = 'open';--> statement-breakpoint
CREATE INDEX `handovers_group_open_idx` ON `handovers` (`group_id`,`created_at`,`id`) WHERE "handovers"."status" = 'open';--> statement-breakpoint
CREATE INDEX `handovers_group_idx` ON `handovers` (`group_id`);--> statement-breakpoint
CREATE INDEX `handovers_offered_by_idx` ON `handovers` (`offered_by`);--> statement-breakpoint
CREATE INDEX `handovers_taken_by_idx` ON `handovers` (`taken_by`);--> statement-breakpoint
CREATE INDEX `handovers_event_idx` ON `handovers` (`event_id`);--> statement-breakpoint
CREATE TABLE `swap_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`event_id` text NOT NULL,
	`with_event_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`event_date` text NOT NULL,
	`with_event_date` text NOT NULL,
	`with_baker_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`accept_token` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`with_event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "swap_requests_status_valid" CHECK("swap_requests"."status" in ('pending', 'accepted', 'declined', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `swap_requests_pending_pair_unique` ON `swap_requests` (`event_id`,`with_event_id`) WHERE "swap_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `swap_requests_with_event_idx` ON `swap_requests` (`with_event_id`);--> statement-breakpoint
CREATE INDEX `swap_requests_requested_by_idx` ON `swap_requests` (`requested_by`);--> statement-breakpoint
CREATE INDEX `swap_requests_group_idx` ON `swap_requests` (`group_id`);