-- Per-event rating aggregates kept on write, so the Hall of Fame never scans
-- all ratings. Triggers also fire for ON DELETE CASCADE (a deleted user's
-- ratings), which a handler-side update could forget.
CREATE TRIGGER `ratings_after_insert` AFTER INSERT ON `ratings` BEGIN
  UPDATE `events` SET `rating_count` = `rating_count` + 1, `rating_sum` = `rating_sum` + NEW.`stars` WHERE `id` = NEW.`event_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ratings_after_update` AFTER UPDATE OF `stars` ON `ratings` BEGIN
  UPDATE `events` SET `rating_sum` = `rating_sum` - OLD.`stars` + NEW.`stars` WHERE `id` = NEW.`event_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `ratings_after_delete` AFTER DELETE ON `ratings` BEGIN
  UPDATE `events` SET `rating_count` = `rating_count` - 1, `rating_sum` = `rating_sum` - OLD.`stars` WHERE `id` = OLD.`event_id`;
END;
