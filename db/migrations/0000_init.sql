CREATE TABLE `settings_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`document` text NOT NULL,
	`author` text NOT NULL,
	`author_kind` text NOT NULL,
	`comment` text,
	`reverted_from` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`object_id` text NOT NULL,
	`display_name` text,
	`email` text,
	`username` text,
	`search_text` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`groups_overage` integer DEFAULT false NOT NULL,
	`claims` text,
	`last_auth_methods` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_login_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_tenant_object_uq` ON `users` (`tenant_id`,`object_id`);--> statement-breakpoint
CREATE INDEX `users_display_name_idx` ON `users` (`display_name`,`id`);--> statement-breakpoint
CREATE INDEX `users_status_idx` ON `users` (`status`,`display_name`);--> statement-breakpoint
CREATE INDEX `users_last_login_idx` ON `users` (`last_login_at`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text,
	`assignment_group` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_seen_at` integer
);
--> statement-breakpoint
CREATE TABLE `user_groups` (
	`user_id` text NOT NULL,
	`group_id` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `group_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_groups_group_idx` ON `user_groups` (`group_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`client_app_id` text,
	`ip` text,
	`user_agent` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`revoke_reason` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `used_token_ids` (
	`uti` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_token_ids_expires_idx` ON `used_token_ids` (`expires_at`);--> statement-breakpoint
CREATE TABLE `console_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`admin_id` text NOT NULL,
	`ip` text,
	`user_agent` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`admin_id`) REFERENCES `local_admins`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `console_sessions_token_hash_unique` ON `console_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `console_sessions_admin_idx` ON `console_sessions` (`admin_id`);--> statement-breakpoint
CREATE TABLE `local_admins` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_sign_in_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `local_admins_username_unique` ON `local_admins` (`username`);--> statement-breakpoint
CREATE TABLE `setup_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`purpose` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `setup_tokens_token_hash_unique` ON `setup_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `setup_tokens_expires_idx` ON `setup_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `audit_checkpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`stream` text NOT NULL,
	`purged_through_id` integer NOT NULL,
	`head_hash` text NOT NULL,
	`purged_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	`signature` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `change_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ts` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_kind` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text,
	`before` text,
	`after` text,
	`comment` text,
	`ip` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `change_events_ts_idx` ON `change_events` (`ts`);--> statement-breakpoint
CREATE INDEX `change_events_target_idx` ON `change_events` (`target_type`,`target_id`,`ts`);--> statement-breakpoint
CREATE INDEX `change_events_action_ts_idx` ON `change_events` (`action`,`ts`);--> statement-breakpoint
CREATE TABLE `login_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ts` integer NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`status` integer NOT NULL,
	`tenant_id` text,
	`object_id` text,
	`user_id` text,
	`username` text,
	`display_name` text,
	`client_app_id` text,
	`token_version` text,
	`amr` text,
	`sign_in_method` text,
	`uti` text,
	`ip` text,
	`user_agent` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_events_ts_idx` ON `login_events` (`ts`);--> statement-breakpoint
CREATE INDEX `login_events_user_ts_idx` ON `login_events` (`user_id`,`ts`);--> statement-breakpoint
CREATE INDEX `login_events_object_ts_idx` ON `login_events` (`object_id`,`ts`);--> statement-breakpoint
CREATE INDEX `login_events_outcome_ts_idx` ON `login_events` (`outcome`,`ts`);--> statement-breakpoint
CREATE INDEX `login_events_reason_ts_idx` ON `login_events` (`reason`,`ts`);--> statement-breakpoint
CREATE INDEX `login_events_client_ts_idx` ON `login_events` (`client_app_id`,`ts`);--> statement-breakpoint
CREATE INDEX `login_events_method_ts_idx` ON `login_events` (`sign_in_method`,`ts`);--> statement-breakpoint
CREATE INDEX `login_events_ip_ts_idx` ON `login_events` (`ip`,`ts`);--> statement-breakpoint
CREATE TABLE `discovery_cache` (
	`url` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL,
	`fetched_at` integer NOT NULL
);
