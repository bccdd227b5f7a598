ALTER TABLE `groups` ADD `events_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- What the event lists show of a group changed: the versions remembered pages are checked against
-- must change. Random values for the reason given in 0009. Ratings need no trigger of their own:
-- every change to one updates its event's aggregates (0001), and so fires the events trigger.
CREATE TRIGGER `events_lists_after_insert` AFTER INSERT ON `events` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12 WHERE `id` = NEW.`group_id`;
END;--> statement-breakpoint
-- Every column: the aggregates, the cover photo, the baker set null when their account goes.
CREATE TRIGGER `events_lists_after_update` AFTER UPDATE ON `events` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12 WHERE `id` IN (OLD.`group_id`, NEW.`group_id`);
END;--> statement-breakpoint
CREATE TRIGGER `events_lists_after_delete` AFTER DELETE ON `events` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12 WHERE `id` = OLD.`group_id`;
END;--> statement-breakpoint
CREATE TRIGGER `event_photos_lists_after_insert` AFTER INSERT ON `event_photos` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12 WHERE `id` = (SELECT `group_id` FROM `events` WHERE `id` = NEW.`event_id`);
END;--> statement-breakpoint
CREATE TRIGGER `event_photos_lists_after_update` AFTER UPDATE ON `event_photos` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12
    WHERE `id` IN (SELECT `group_id` FROM `events` WHERE `id` IN (OLD.`event_id`, NEW.`event_id`));
END;--> statement-breakpoint
CREATE TRIGGER `event_photos_lists_after_delete` AFTER DELETE ON `event_photos` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12 WHERE `id` = (SELECT `group_id` FROM `events` WHERE `id` = OLD.`event_id`);
END;--> statement-breakpoint
-- A name shows as the baker of their events and beside their gallery photos, in whichever group.
CREATE TRIGGER `users_lists_after_rename` AFTER UPDATE OF `name` ON `users` WHEN OLD.`name` IS NOT NEW.`name` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12
    WHERE `id` IN (SELECT `group_id` FROM `events` WHERE `baker_id` = NEW.`id`)
       OR `id` IN (SELECT `e`.`group_id` FROM `event_photos` `p` JOIN `events` `e` ON `e`.`id` = `p`.`event_id` WHERE `p`.`user_id` = NEW.`id`);
END;--> statement-breakpoint
-- The group's name shows on each of its events; its time zone decides which are upcoming.
CREATE TRIGGER `groups_lists_after_change` AFTER UPDATE OF `name`, `time_zone` ON `groups`
  WHEN OLD.`name` IS NOT NEW.`name` OR OLD.`time_zone` IS NOT NEW.`time_zone` BEGIN
  UPDATE `groups` SET `events_version` = random() >> 12 WHERE `id` = NEW.`id`;
END;
