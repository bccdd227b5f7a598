ALTER TABLE `events` ADD `allergens` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `suitable_for` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `sequence` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `dietary_avoids` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `diet` text;--> statement-breakpoint
-- The calendars state a cake's allergens: a change of them changes what the group's feeds show.
DROP TRIGGER IF EXISTS `events_feed_after_update`;--> statement-breakpoint
CREATE TRIGGER `events_feed_after_update` AFTER UPDATE OF `date`, `description`, `baker_id`, `group_id`, `allergens` ON `events` BEGIN
  UPDATE `groups` SET `feed_version` = `feed_version` + 1 WHERE `id` IN (OLD.`group_id`, NEW.`group_id`);
END;
