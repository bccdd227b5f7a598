ALTER TABLE `groups` ADD `member_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Counted once here, then kept by the triggers below: a list of groups reads one row per group.
UPDATE `groups` SET `member_count` = (SELECT count(*) FROM `memberships` WHERE `group_id` = `groups`.`id`);--> statement-breakpoint
CREATE TRIGGER `memberships_count_after_insert` AFTER INSERT ON `memberships` BEGIN
  UPDATE `groups` SET `member_count` = `member_count` + 1 WHERE `id` = NEW.`group_id`;
END;--> statement-breakpoint
-- Also when a user's or a group's deletion removes the membership (foreign-key cascades fire triggers).
CREATE TRIGGER `memberships_count_after_delete` AFTER DELETE ON `memberships` BEGIN
  UPDATE `groups` SET `member_count` = `member_count` - 1 WHERE `id` = OLD.`group_id`;
END;--> statement-breakpoint
CREATE TRIGGER `memberships_count_after_move` AFTER UPDATE OF `group_id` ON `memberships` WHEN OLD.`group_id` IS NOT NEW.`group_id` BEGIN
  UPDATE `groups` SET `member_count` = `member_count` - 1 WHERE `id` = OLD.`group_id`;
  UPDATE `groups` SET `member_count` = `member_count` + 1 WHERE `id` = NEW.`group_id`;
END;
