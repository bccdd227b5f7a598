CREATE TABLE `directory` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "directory_single_row" CHECK("directory"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE `groups` ADD `directory_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
INSERT INTO `directory` (`id`, `version`) VALUES (1, 0);--> statement-breakpoint
-- What the user lists show changed: the versions remembered pages are checked against must change.
-- A user's row shows in the lists of every group they are in, with all of their groups (names and
-- roles), so a change to a user or to one membership changes every group of that user. New values
-- are random, not counters: a database restored to an earlier point must not repeat a version that
-- a Worker remembers for other content. The shift keeps them exact as JavaScript numbers.
CREATE TRIGGER `users_directory_after_insert` AFTER INSERT ON `users` BEGIN
  UPDATE `directory` SET `version` = random() >> 12;
END;--> statement-breakpoint
-- Every column, not only those the lists show: the others change rarely, and a column added to the
-- User object later needs no change here.
CREATE TRIGGER `users_directory_after_update` AFTER UPDATE ON `users` BEGIN
  UPDATE `directory` SET `version` = random() >> 12;
  UPDATE `groups` SET `directory_version` = random() >> 12
    WHERE `id` IN (SELECT `group_id` FROM `memberships` WHERE `user_id` IN (OLD.`id`, NEW.`id`));
END;--> statement-breakpoint
-- The user's memberships go with it (their own triggers change the user's groups).
CREATE TRIGGER `users_directory_after_delete` AFTER DELETE ON `users` BEGIN
  UPDATE `directory` SET `version` = random() >> 12;
END;--> statement-breakpoint
CREATE TRIGGER `memberships_directory_after_insert` AFTER INSERT ON `memberships` BEGIN
  UPDATE `directory` SET `version` = random() >> 12;
  UPDATE `groups` SET `directory_version` = random() >> 12
    WHERE `id` IN (SELECT `group_id` FROM `memberships` WHERE `user_id` = NEW.`user_id`);
END;--> statement-breakpoint
CREATE TRIGGER `memberships_directory_after_update` AFTER UPDATE ON `memberships` BEGIN
  UPDATE `directory` SET `version` = random() >> 12;
  UPDATE `groups` SET `directory_version` = random() >> 12
    WHERE `id` = OLD.`group_id` OR `id` IN (SELECT `group_id` FROM `memberships` WHERE `user_id` IN (OLD.`user_id`, NEW.`user_id`));
END;--> statement-breakpoint
CREATE TRIGGER `memberships_directory_after_delete` AFTER DELETE ON `memberships` BEGIN
  UPDATE `directory` SET `version` = random() >> 12;
  UPDATE `groups` SET `directory_version` = random() >> 12
    WHERE `id` = OLD.`group_id` OR `id` IN (SELECT `group_id` FROM `memberships` WHERE `user_id` = OLD.`user_id`);
END;--> statement-breakpoint
-- A group's name shows in the User object of each of its members, so in the lists of all their groups.
CREATE TRIGGER `groups_directory_after_rename` AFTER UPDATE OF `name` ON `groups` WHEN OLD.`name` IS NOT NEW.`name` BEGIN
  UPDATE `directory` SET `version` = random() >> 12;
  UPDATE `groups` SET `directory_version` = random() >> 12
    WHERE `id` = NEW.`id` OR `id` IN (
      SELECT `theirs`.`group_id` FROM `memberships` `members`
      JOIN `memberships` `theirs` ON `theirs`.`user_id` = `members`.`user_id`
      WHERE `members`.`group_id` = NEW.`id`);
END;
