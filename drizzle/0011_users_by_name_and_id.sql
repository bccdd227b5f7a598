DROP INDEX `users_name_email_idx`;--> statement-breakpoint
CREATE INDEX `users_name_id_idx` ON `users` (`name`,`id`);