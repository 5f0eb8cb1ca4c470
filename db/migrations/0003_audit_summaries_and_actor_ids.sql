ALTER TABLE `change_events` ADD `actor_id` text;--> statement-breakpoint
ALTER TABLE `login_events` ADD `attempts` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `login_events` ADD `last_ts` integer;--> statement-breakpoint
CREATE INDEX `login_events_summary_ts_idx` ON `login_events` (`ts`) WHERE last_ts IS NOT NULL;