-- Stream tickets carry the token version of the session that asked for them,
-- so a ticket dies with its session. SQLite cannot add a NOT NULL column
-- without a default to a table with rows: tickets live a minute, so the
-- outstanding ones are dropped (a client asks for a new one).
-- Plus indexes on two foreign-key columns whose ON DELETE actions would
-- otherwise scan: users.primary_group_id (set null when a group goes) and
-- stream_tickets.user_id (cascade when a user goes).
DELETE FROM `stream_tickets`;--> statement-breakpoint
ALTER TABLE `stream_tickets` ADD `token_version` integer NOT NULL;--> statement-breakpoint
CREATE INDEX `stream_tickets_user_idx` ON `stream_tickets` (`user_id`);--> statement-breakpoint
CREATE INDEX `users_primary_group_idx` ON `users` (`primary_group_id`);