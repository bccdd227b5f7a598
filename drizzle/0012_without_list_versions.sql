-- The list pages' versions go with the pages that were checked against them: their triggers first,
-- then the columns and the table they kept current.
DROP TRIGGER IF EXISTS `users_directory_after_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `users_directory_after_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `users_directory_after_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `memberships_directory_after_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `memberships_directory_after_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `memberships_directory_after_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `groups_directory_after_rename`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `events_lists_after_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `events_lists_after_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `events_lists_after_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `event_photos_lists_after_insert`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `event_photos_lists_after_update`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `event_photos_lists_after_delete`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `users_lists_after_rename`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `groups_lists_after_change`;--> statement-breakpoint
DROP TABLE `directory`;--> statement-breakpoint
ALTER TABLE `groups` DROP COLUMN `directory_version`;--> statement-breakpoint
ALTER TABLE `groups` DROP COLUMN `events_version`;