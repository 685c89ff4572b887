CREATE TABLE `member_tiers` (
	`member_id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`tier_id` text,
	`since` integer NOT NULL,
	`downgrade_due_since` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tier_id`) REFERENCES `tiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_tiers_program` ON `member_tiers` (`program_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `tier_history` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`from_tier_id` text,
	`to_tier_id` text,
	`reason` text NOT NULL,
	`metric_value` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tier_history_member` ON `tier_history` (`program_id`,`member_id`,`id`);--> statement-breakpoint
CREATE TABLE `tier_settings` (
	`program_id` text PRIMARY KEY NOT NULL,
	`metric` text NOT NULL,
	`window` text NOT NULL,
	`window_months` integer NOT NULL,
	`downgrade_grace_days` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tier_settings_ranges" CHECK("tier_settings"."window_months" between 1 and 120 and "tier_settings"."downgrade_grace_days" between 0 and 3650)
);
--> statement-breakpoint
CREATE TABLE `tiers` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`threshold` integer NOT NULL,
	`earn_multiplier_permille` integer NOT NULL,
	`discount_basis_points` integer NOT NULL,
	`member_only_offers` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tiers_ranges" CHECK("tiers"."threshold" >= 0 and "tiers"."earn_multiplier_permille" between 0 and 100000 and "tiers"."discount_basis_points" between 0 and 10000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tiers_program_name` ON `tiers` (`program_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `tiers_program_threshold` ON `tiers` (`program_id`,`threshold`);--> statement-breakpoint
DROP INDEX `job_runs_job_started`;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `program_id` text;--> statement-breakpoint
CREATE INDEX `job_runs_program` ON `job_runs` (`program_id`,`id`);--> statement-breakpoint
CREATE INDEX `job_runs_job_started` ON `job_runs` (`job`,`program_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `orders_member_created` ON `orders` (`program_id`,`member_id`,`created_at`);