CREATE TABLE `partner_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`offer_id` text NOT NULL,
	`status` text NOT NULL,
	`rejection_reason` text,
	`voucher_limit` integer NOT NULL,
	`vouchers_issued` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "partner_campaigns_status" CHECK("partner_campaigns"."status" in ('draft', 'submitted', 'active', 'paused', 'ended')),
	CONSTRAINT "partner_campaigns_voucher_limit" CHECK((typeof("partner_campaigns"."voucher_limit") = 'integer' and "partner_campaigns"."voucher_limit" between 1 and 1000000) and (typeof("partner_campaigns"."vouchers_issued") = 'integer' and "partner_campaigns"."vouchers_issued" between 0 and 1000000) and "partner_campaigns"."vouchers_issued" <= "partner_campaigns"."voucher_limit")
);
--> statement-breakpoint
CREATE INDEX `partner_campaigns_partner` ON `partner_campaigns` (`program_id`,`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `partner_campaigns_offer` ON `partner_campaigns` (`offer_id`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`contact_name` text,
	`contact_email` text,
	`funding` text NOT NULL,
	`currency` text NOT NULL,
	`credit_limit` integer,
	`cost_share_basis_points` integer NOT NULL,
	`fee_per_redemption` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "partners_status" CHECK("partners"."status" in ('active', 'suspended', 'archived')),
	CONSTRAINT "partners_funding" CHECK(("partners"."funding" = 'prepaid' and "partners"."credit_limit" is null) or ("partners"."funding" = 'postpaid' and "partners"."credit_limit" is not null)),
	CONSTRAINT "partners_terms_range" CHECK((typeof("partners"."cost_share_basis_points") = 'integer' and "partners"."cost_share_basis_points" between 0 and 10000) and (typeof("partners"."fee_per_redemption") = 'integer' and "partners"."fee_per_redemption" between 0 and 100000000000) and ("partners"."credit_limit" is null or (typeof("partners"."credit_limit") = 'integer' and "partners"."credit_limit" between 0 and 100000000000)))
);
--> statement-breakpoint
CREATE INDEX `partners_program` ON `partners` (`program_id`,`id`);--> statement-breakpoint
CREATE TABLE `settlement_periods` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`from` integer NOT NULL,
	`until` integer NOT NULL,
	`currency` text NOT NULL,
	`line_count` integer NOT NULL,
	`discount` integer NOT NULL,
	`partner_share` integer NOT NULL,
	`fees` integer NOT NULL,
	`closed_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "settlement_periods_window" CHECK("settlement_periods"."from" < "settlement_periods"."until"),
	CONSTRAINT "settlement_periods_range" CHECK((typeof("settlement_periods"."discount") = 'integer' and "settlement_periods"."discount" between -100000000000000 and 100000000000000) and (typeof("settlement_periods"."partner_share") = 'integer' and "settlement_periods"."partner_share" between -100000000000000 and 100000000000000) and (typeof("settlement_periods"."fees") = 'integer' and "settlement_periods"."fees" between -100000000000000 and 100000000000000))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlement_periods_partner_until` ON `settlement_periods` (`partner_id`,`until`);--> statement-breakpoint
CREATE UNIQUE INDEX `settlement_periods_partner_from` ON `settlement_periods` (`partner_id`,`from`);