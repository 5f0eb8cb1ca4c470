ALTER TABLE `groups` ADD `graph_name` text;--> statement-breakpoint
ALTER TABLE `groups` ADD `graph_name_checked_at` integer;--> statement-breakpoint
CREATE INDEX `groups_graph_name_checked_idx` ON `groups` (`graph_name_checked_at`);