DROP INDEX `events_date_idx`;--> statement-breakpoint
DROP INDEX `events_group_date_idx`;--> statement-breakpoint
CREATE INDEX `events_date_order_idx` ON `events` (`date`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `events_hall_of_fame_idx` ON `events` ((("rating_sum" + 15) * 1.0 / ("rating_count" + 5)),`rating_count`,`date`,`created_at`,`id`) WHERE `rating_count` > 0;--> statement-breakpoint
CREATE INDEX `events_group_hall_of_fame_idx` ON `events` (`group_id`,(("rating_sum" + 15) * 1.0 / ("rating_count" + 5)),`rating_count`,`date`,`created_at`,`id`) WHERE `rating_count` > 0;--> statement-breakpoint
CREATE INDEX `events_group_date_idx` ON `events` (`group_id`,`date`,`created_at`,`id`);--> statement-breakpoint
DROP INDEX `memberships_group_idx`;--> statement-breakpoint
CREATE INDEX `memberships_group_idx` ON `memberships` (`group_id`,`role`,`user_id`);--> statement-breakpoint
ALTER TABLE `groups` ADD `feed_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `calendar_token_seed` text;--> statement-breakpoint
CREATE INDEX `users_name_email_idx` ON `users` (`name`,`email`);--> statement-breakpoint
-- Feed tokens were stored as `<hash>.<seed>`: the feed now finds its owner by equality on the hash alone.
UPDATE `users` SET `calendar_token_seed` = substr(`calendar_token_hash`, instr(`calendar_token_hash`, '.') + 1),
  `calendar_token_hash` = substr(`calendar_token_hash`, 1, instr(`calendar_token_hash`, '.') - 1)
  WHERE instr(`calendar_token_hash`, '.') > 0;--> statement-breakpoint
-- What a calendar feed shows of a group changed: its feeds' ETag must change. Ratings (and the
-- aggregates they maintain) are not in the feed, so they do not bump it.
CREATE TRIGGER `events_feed_after_insert` AFTER INSERT ON `events` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1 WHERE `id` = NEW.`group_id`;
END;--> statement-breakpoint
CREATE TRIGGER `events_feed_after_delete` AFTER DELETE ON `events` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1 WHERE `id` = OLD.`group_id`;
END;--> statement-breakpoint
CREATE TRIGGER `events_feed_after_update` AFTER UPDATE OF `date`, `description`, `baker_id`, `group_id` ON `events` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1 WHERE `id` IN (OLD.`group_id`, NEW.`group_id`);
END;--> statement-breakpoint
CREATE TRIGGER `groups_feed_after_rename` AFTER UPDATE OF `name` ON `groups` WHEN OLD.`name` IS NOT NEW.`name` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1 WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
-- A baker's new name shows in every feed holding one of their cakes.
CREATE TRIGGER `users_feed_after_rename` AFTER UPDATE OF `name` ON `users` WHEN OLD.`name` IS NOT NEW.`name` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1
    WHERE `id` IN (SELECT `group_id` FROM `events` WHERE `baker_id` = NEW.`id`);
END;
