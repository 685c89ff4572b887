CREATE TABLE `offer_revisions` (
	`program_id` text PRIMARY KEY NOT NULL,
	`revision` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `email_fingerprints` (
	`program_id` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`program_id`, `hash`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `referral_codes` (
	`member_id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`code` text NOT NULL,
	`visits` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_codes_program_code` ON `referral_codes` (`program_id`,`code`);--> statement-breakpoint
CREATE TABLE `referral_conversion_counts` (
	`referrer_id` text NOT NULL,
	`program_id` text NOT NULL,
	`period` text NOT NULL,
	`conversions` integer NOT NULL,
	`cap` integer NOT NULL,
	PRIMARY KEY(`referrer_id`, `period`),
	FOREIGN KEY (`referrer_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "referral_conversion_counts_cap" CHECK("referral_conversion_counts"."conversions" <= "referral_conversion_counts"."cap")
);
--> statement-breakpoint
CREATE TABLE `referral_settings` (
	`program_id` text PRIMARY KEY NOT NULL,
	`share_base_url` text,
	`minimum_order_amount` integer NOT NULL,
	`holding_days` integer NOT NULL,
	`reward_kind` text NOT NULL,
	`rungs` text NOT NULL,
	`cap_per_period` integer,
	`cap_period` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "referral_settings_ranges" CHECK("referral_settings"."minimum_order_amount" >= 0 and "referral_settings"."holding_days" between 0 and 365 and ("referral_settings"."cap_per_period" is null or "referral_settings"."cap_per_period" >= 1))
);
--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`referrer_id` text NOT NULL,
	`referee_id` text NOT NULL,
	`status` text NOT NULL,
	`rejection_reason` text,
	`order_pk` text,
	`rung` integer,
	`reward_points` integer DEFAULT 0 NOT NULL,
	`converted_at` integer,
	`confirm_after` integer,
	`confirmed_at` integer,
	`conversion_seq` integer,
	`points_clawed_back` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`referrer_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`referee_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_pk`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "referrals_status" CHECK("referrals"."status" in ('pending', 'converted', 'confirmed', 'rejected')),
	CONSTRAINT "referrals_amounts" CHECK("referrals"."reward_points" >= 0 and "referrals"."points_clawed_back" between 0 and "referrals"."reward_points")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_referee` ON `referrals` (`referee_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_referrer_seq` ON `referrals` (`referrer_id`,`conversion_seq`);--> statement-breakpoint
CREATE INDEX `referrals_referrer` ON `referrals` (`program_id`,`referrer_id`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_due` ON `referrals` (`program_id`,`status`,`confirm_after`);--> statement-breakpoint
ALTER TABLE `orders` ADD `fully_refunded_at` integer;--> statement-breakpoint
ALTER TABLE `offer_applications` ADD `free_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stamp_cards` ADD `rewards` integer DEFAULT 0 NOT NULL;