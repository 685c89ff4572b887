CREATE TABLE `partner_publications` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`audience` text NOT NULL,
	`status` text NOT NULL,
	`cursor` text,
	`issued` integer DEFAULT 0 NOT NULL,
	`stopped_by` text,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `partner_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "partner_publications_status" CHECK("partner_publications"."status" in ('running', 'done')),
	CONSTRAINT "partner_publications_range" CHECK((typeof("partner_publications"."issued") = 'integer' and "partner_publications"."issued" between 0 and 1000000))
);
--> statement-breakpoint
CREATE INDEX `partner_publications_status` ON `partner_publications` (`program_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `partner_publications_campaign` ON `partner_publications` (`campaign_id`,`id`);--> statement-breakpoint
CREATE TABLE `partner_till_redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`code_id` text NOT NULL,
	`member_id` text,
	`order_reference` text NOT NULL,
	`amount` integer NOT NULL,
	`discount` integer NOT NULL,
	`partner_share` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `partner_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `promo_codes`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "partner_till_redemptions_range" CHECK((typeof("partner_till_redemptions"."amount") = 'integer' and "partner_till_redemptions"."amount" between 1 and 100000000000) and (typeof("partner_till_redemptions"."discount") = 'integer' and "partner_till_redemptions"."discount" between 0 and 100000000000) and (typeof("partner_till_redemptions"."partner_share") = 'integer' and "partner_till_redemptions"."partner_share" between 0 and 100000000000) and "partner_till_redemptions"."discount" <= "partner_till_redemptions"."amount" and "partner_till_redemptions"."partner_share" <= "partner_till_redemptions"."discount")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_till_redemptions_reference` ON `partner_till_redemptions` (`partner_id`,`order_reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `partner_till_redemptions_code` ON `partner_till_redemptions` (`code_id`);--> statement-breakpoint
CREATE INDEX `partner_till_redemptions_partner` ON `partner_till_redemptions` (`program_id`,`partner_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `partner_vouchers` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`code_id` text NOT NULL,
	`member_id` text NOT NULL,
	`publication_id` text,
	`order_pk` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `partner_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `promo_codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`publication_id`) REFERENCES `partner_publications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_pk`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_vouchers_code` ON `partner_vouchers` (`code_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `partner_vouchers_published` ON `partner_vouchers` (`campaign_id`,`member_id`) WHERE "partner_vouchers"."publication_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `partner_vouchers_order` ON `partner_vouchers` (`order_pk`,`campaign_id`);--> statement-breakpoint
CREATE INDEX `partner_vouchers_member` ON `partner_vouchers` (`program_id`,`member_id`,`id`);--> statement-breakpoint
ALTER TABLE `promo_codes` ADD `auto_apply` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `promo_codes` ADD `voided_at` integer;