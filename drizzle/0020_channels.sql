CREATE TABLE `channel_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`event` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`created_at` text NOT NULL,
	`delivered_at` text,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "channel_deliveries_status_valid" CHECK("channel_deliveries"."status" in ('pending', 'delivered', 'failed', 'dead'))
);
--> statement-breakpoint
CREATE INDEX `channel_deliveries_channel_idx` ON `channel_deliveries` (`channel_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `channel_dispatches` (
	`key` text PRIMARY KEY NOT NULL,
	`run` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `channel_dispatches_created_idx` ON `channel_dispatches` (`created_at`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`url_sealed` text NOT NULL,
	`url_masked` text NOT NULL,
	`secret_sealed` text,
	`events` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`failure_streak` integer DEFAULT 0 NOT NULL,
	`last_delivery_at` text,
	`last_status` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "channels_kind_valid" CHECK("channels"."kind" in ('slack', 'teams', 'discord', 'webhook'))
);
--> statement-breakpoint
CREATE INDEX `channels_group_idx` ON `channels` (`group_id`,`created_at`,`id`);