ALTER TABLE `memberships` ADD `member_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `memberships` SET `member_name` = coalesce((SELECT `name` FROM `users` WHERE `id` = `memberships`.`user_id`), '');--> statement-breakpoint
CREATE INDEX `memberships_group_name_idx` ON `memberships` (`group_id`,`member_name`,`user_id`);--> statement-breakpoint
-- Every way a membership is made (an admin's assignment, a new group's creator, the importer) gets the name here.
CREATE TRIGGER `memberships_name_after_insert` AFTER INSERT ON `memberships` BEGIN
  UPDATE `memberships` SET `member_name` = coalesce((SELECT `name` FROM `users` WHERE `id` = NEW.`user_id`), '')
   WHERE `user_id` = NEW.`user_id` AND `group_id` = NEW.`group_id`;
END;--> statement-breakpoint
-- A rename reaches every group of the user (their memberships, by the primary key's user_id).
CREATE TRIGGER `users_name_after_update` AFTER UPDATE OF `name` ON `users` WHEN OLD.`name` IS NOT NEW.`name` BEGIN
  UPDATE `memberships` SET `member_name` = NEW.`name` WHERE `user_id` = NEW.`id`;
END;
