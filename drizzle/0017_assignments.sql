CREATE TABLE `assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`date` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`event_id` text,
	`reason` text,
	`created_at` text NOT NULL,
	`answered_at` text,
	`reminded_at` text,
	`eve_reminded_at` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "assignments_status_valid" CHECK("assignments"."status" in ('pending', 'accepted', 'declined', 'withdrawn'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_open_date_unique` ON `assignments` (`group_id`,`date`) WHERE "assignments"."status" in ('pending', 'accepted');--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_member_date_unique` ON `assignments` (`group_id`,`date`,`user_id`) WHERE "assignments"."status" <> 'withdrawn';--> statement-breakpoint
CREATE INDEX `assignments_group_date_idx` ON `assignments` (`group_id`,`date`);--> statement-breakpoint
CREATE INDEX `assignments_user_open_idx` ON `assignments` (`user_id`,`date`) WHERE "assignments"."status" in ('pending', 'accepted');--> statement-breakpoint
CREATE INDEX `assignments_user_created_idx` ON `assignments` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `assignments_unreminded_idx` ON `assignments` (`created_at`) WHERE "assignments"."status" = 'pending' and "assignments"."reminded_at" is null;--> statement-breakpoint
CREATE INDEX `assignments_pending_date_idx` ON `assignments` (`date`) WHERE "assignments"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `assignments_event_idx` ON `assignments` (`event_id`) WHERE "assignments"."event_id" is not null;--> statement-breakpoint
-- A deleted cake ends the assignment that made it: the cake day is open again (and can be assigned anew).
CREATE TRIGGER `events_end_assignment_before_delete` BEFORE DELETE ON `events` BEGIN
  UPDATE `assignments` SET `status` = 'withdrawn', `reason` = 'The cake was deleted.'
    WHERE `event_id` = OLD.`id` AND `status` = 'accepted';
END;--> statement-breakpoint
-- The calendar feed shows its owner's pending and accepted assignments: a change of one changes the group's feeds.
CREATE TRIGGER `assignments_feed_after_insert` AFTER INSERT ON `assignments` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1 WHERE `id` = NEW.`group_id`;
END;--> statement-breakpoint
CREATE TRIGGER `assignments_feed_after_update` AFTER UPDATE OF `status` ON `assignments` WHEN OLD.`status` IS NOT NEW.`status` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1 WHERE `id` = NEW.`group_id`;
END;
--> statement-breakpoint
-- A member who leaves the group (or is removed) is asked no more: their pending assignments there end.
CREATE TRIGGER `memberships_end_assignments_after_delete` AFTER DELETE ON `memberships` BEGIN
  UPDATE `assignments` SET `status` = 'withdrawn', `reason` = 'No longer a member of the group.',
    `answered_at` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE `user_id` = OLD.`user_id` AND `group_id` = OLD.`group_id` AND `status` IN ('pending', 'accepted') AND `status` = 'pending';
END;
