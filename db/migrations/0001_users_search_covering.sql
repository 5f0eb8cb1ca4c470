DROP INDEX `users_display_name_idx`;--> statement-breakpoint
CREATE INDEX `users_display_name_idx` ON `users` (`display_name`,`id`,`search_text`);