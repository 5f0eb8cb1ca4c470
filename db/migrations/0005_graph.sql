CREATE TABLE `graph_credentials` (
	`kind` text PRIMARY KEY NOT NULL,
	`sealed` text NOT NULL,
	`thumbprint` text,
	`expires_at` integer,
	`subject` text,
	`set_at` integer NOT NULL,
	`set_by` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `users` ADD `groups_source` text;--> statement-breakpoint
ALTER TABLE `login_events` ADD `groups_source` text;