PRAGMA foreign_keys=OFF;--> statement-breakpoint
PRAGMA defer_foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text,
	`order_id` text NOT NULL,
	`currency` text NOT NULL,
	`total` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`points_redeemed` integer NOT NULL,
	`points_payment` integer NOT NULL,
	`points_earned` integer NOT NULL,
	`wallet_payment` integer DEFAULT 0 NOT NULL,
	`wallet_bonus_payment` integer DEFAULT 0 NOT NULL,
	`wallet_returned` integer DEFAULT 0 NOT NULL,
	`wallet_bonus_returned` integer DEFAULT 0 NOT NULL,
	`refunded_amount` integer DEFAULT 0 NOT NULL,
	`points_clawed_back` integer DEFAULT 0 NOT NULL,
	`points_returned` integer DEFAULT 0 NOT NULL,
	`fully_refunded_at` integer,
	`attributes` text,
	`created_at` integer NOT NULL,
	`claimed_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "orders_amounts" CHECK("__new_orders"."total" >= 0 and "__new_orders"."discount" between 0 and "__new_orders"."total" and "__new_orders"."points_payment" between 0 and "__new_orders"."total" - "__new_orders"."discount" and "__new_orders"."points_redeemed" >= 0 and "__new_orders"."points_earned" >= 0),
	CONSTRAINT "orders_refund_in_range" CHECK("__new_orders"."refunded_amount" between 0 and "__new_orders"."total" - "__new_orders"."discount"),
	CONSTRAINT "orders_points_back_in_range" CHECK("__new_orders"."points_clawed_back" between 0 and "__new_orders"."points_earned" and "__new_orders"."points_returned" between 0 and "__new_orders"."points_redeemed"),
	CONSTRAINT "orders_wallet" CHECK("__new_orders"."wallet_payment" >= 0 and "__new_orders"."points_payment" + "__new_orders"."wallet_payment" <= "__new_orders"."total" - "__new_orders"."discount" and "__new_orders"."wallet_bonus_payment" between 0 and "__new_orders"."wallet_payment" and "__new_orders"."wallet_returned" between 0 and "__new_orders"."wallet_payment" and "__new_orders"."wallet_bonus_returned" between 0 and "__new_orders"."wallet_bonus_payment"),
	CONSTRAINT "orders_amounts_range" CHECK((typeof("__new_orders"."total") = 'integer' and "__new_orders"."total" between 0 and 100000000000) and (typeof("__new_orders"."discount") = 'integer' and "__new_orders"."discount" between 0 and 100000000000) and (typeof("__new_orders"."points_payment") = 'integer' and "__new_orders"."points_payment" between 0 and 100000000000) and (typeof("__new_orders"."refunded_amount") = 'integer' and "__new_orders"."refunded_amount" between 0 and 100000000000)
        and (typeof("__new_orders"."wallet_payment") = 'integer' and "__new_orders"."wallet_payment" between 0 and 100000000000) and (typeof("__new_orders"."wallet_bonus_payment") = 'integer' and "__new_orders"."wallet_bonus_payment" between 0 and 100000000000) and (typeof("__new_orders"."wallet_returned") = 'integer' and "__new_orders"."wallet_returned" between 0 and 100000000000) and (typeof("__new_orders"."wallet_bonus_returned") = 'integer' and "__new_orders"."wallet_bonus_returned" between 0 and 100000000000)
        and (typeof("__new_orders"."points_redeemed") = 'integer' and "__new_orders"."points_redeemed" between 0 and 100000000000000) and (typeof("__new_orders"."points_earned") = 'integer' and "__new_orders"."points_earned" between 0 and 100000000000000) and (typeof("__new_orders"."points_clawed_back") = 'integer' and "__new_orders"."points_clawed_back" between 0 and 100000000000000) and (typeof("__new_orders"."points_returned") = 'integer' and "__new_orders"."points_returned" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_orders`("id", "program_id", "member_id", "order_id", "currency", "total", "discount", "points_redeemed", "points_payment", "points_earned", "wallet_payment", "wallet_bonus_payment", "wallet_returned", "wallet_bonus_returned", "refunded_amount", "points_clawed_back", "points_returned", "fully_refunded_at", "attributes", "created_at", "claimed_at") SELECT "id", "program_id", "member_id", "order_id", "currency", "total", "discount", "points_redeemed", "points_payment", "points_earned", 0, 0, 0, 0, "refunded_amount", "points_clawed_back", "points_returned", "fully_refunded_at", "attributes", "created_at", NULL FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_program_order_id` ON `orders` (`program_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `orders_member_created` ON `orders` (`program_id`,`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `__new_offer_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`order_pk` text NOT NULL,
	`offer_id` text NOT NULL,
	`code_id` text,
	`member_id` text,
	`discount` integer NOT NULL,
	`bonus_points` integer NOT NULL,
	`gift_sku` text,
	`gift_quantity` integer NOT NULL,
	`stamps` integer NOT NULL,
	`stamped_lines` text DEFAULT '[]' NOT NULL,
	`stamps_returned` integer DEFAULT 0 NOT NULL,
	`free_units` integer DEFAULT 0 NOT NULL,
	`counts_as_redemption` integer NOT NULL,
	`released_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_pk`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `promo_codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "offer_applications_amounts" CHECK("__new_offer_applications"."discount" >= 0 and "__new_offer_applications"."bonus_points" >= 0 and "__new_offer_applications"."gift_quantity" >= 0 and "__new_offer_applications"."stamps" >= 0),
	CONSTRAINT "offer_applications_stamps_returned" CHECK("__new_offer_applications"."stamps_returned" between 0 and "__new_offer_applications"."stamps"),
	CONSTRAINT "offer_applications_range" CHECK((typeof("__new_offer_applications"."discount") = 'integer' and "__new_offer_applications"."discount" between 0 and 100000000000) and (typeof("__new_offer_applications"."bonus_points") = 'integer' and "__new_offer_applications"."bonus_points" between 0 and 100000000000000) and (typeof("__new_offer_applications"."stamps") = 'integer' and "__new_offer_applications"."stamps" between 0 and 100000000000000) and (typeof("__new_offer_applications"."free_units") = 'integer' and "__new_offer_applications"."free_units" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_offer_applications`("id", "program_id", "order_pk", "offer_id", "code_id", "member_id", "discount", "bonus_points", "gift_sku", "gift_quantity", "stamps", "stamped_lines", "stamps_returned", "free_units", "counts_as_redemption", "released_at", "created_at") SELECT "id", "program_id", "order_pk", "offer_id", "code_id", "member_id", "discount", "bonus_points", "gift_sku", "gift_quantity", "stamps", '[]', 0, "free_units", "counts_as_redemption", "released_at", "created_at" FROM `offer_applications`;--> statement-breakpoint
DROP TABLE `offer_applications`;--> statement-breakpoint
ALTER TABLE `__new_offer_applications` RENAME TO `offer_applications`;--> statement-breakpoint
CREATE UNIQUE INDEX `offer_applications_order_offer` ON `offer_applications` (`order_pk`,`offer_id`);--> statement-breakpoint
CREATE INDEX `offer_applications_member` ON `offer_applications` (`program_id`,`member_id`,`offer_id`);--> statement-breakpoint
CREATE INDEX `offer_applications_code` ON `offer_applications` (`code_id`);--> statement-breakpoint
CREATE TABLE `__new_program_rules` (
	`program_id` text PRIMARY KEY NOT NULL,
	`currency` text NOT NULL,
	`earn_points` integer NOT NULL,
	`earn_per_amount` integer NOT NULL,
	`earn_rounding` text NOT NULL,
	`points_lifetime_months` integer,
	`redeem_points` integer NOT NULL,
	`redeem_value` integer NOT NULL,
	`minimum_redemption` integer NOT NULL,
	`wallet_bonus_threshold` integer NOT NULL,
	`wallet_bonus_basis_points` integer NOT NULL,
	`max_discount_basis_points` integer,
	`max_backdate_days` integer DEFAULT 7 NOT NULL,
	`guest_claim_days` integer DEFAULT 30 NOT NULL,
	`points_vesting_days` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "program_rules_positive" CHECK("__new_program_rules"."earn_points" >= 0 and "__new_program_rules"."earn_per_amount" > 0 and "__new_program_rules"."redeem_points" > 0 and "__new_program_rules"."redeem_value" >= 0),
	CONSTRAINT "program_rules_limits" CHECK("__new_program_rules"."minimum_redemption" >= 0 and "__new_program_rules"."wallet_bonus_threshold" >= 0 and "__new_program_rules"."wallet_bonus_basis_points" between 0 and 10000),
	CONSTRAINT "program_rules_discount_cap" CHECK("__new_program_rules"."max_discount_basis_points" is null or "__new_program_rules"."max_discount_basis_points" between 0 and 10000),
	CONSTRAINT "program_rules_max_backdate_days" CHECK("__new_program_rules"."max_backdate_days" between 0 and 365 and "__new_program_rules"."guest_claim_days" between 0 and 365 and "__new_program_rules"."points_vesting_days" between 0 and 365),
	CONSTRAINT "program_rules_range" CHECK((typeof("__new_program_rules"."earn_points") = 'integer' and "__new_program_rules"."earn_points" between 0 and 1000000) and (typeof("__new_program_rules"."earn_per_amount") = 'integer' and "__new_program_rules"."earn_per_amount" between 1 and 1000000000) and (typeof("__new_program_rules"."redeem_points") = 'integer' and "__new_program_rules"."redeem_points" between 1 and 1000000000) and (typeof("__new_program_rules"."redeem_value") = 'integer' and "__new_program_rules"."redeem_value" between 0 and 1000000000)
        and (typeof("__new_program_rules"."minimum_redemption") = 'integer' and "__new_program_rules"."minimum_redemption" between 0 and 1000000000) and (typeof("__new_program_rules"."wallet_bonus_basis_points") = 'integer' and "__new_program_rules"."wallet_bonus_basis_points" between 0 and 10000) and ("__new_program_rules"."max_discount_basis_points" is null or (typeof("__new_program_rules"."max_discount_basis_points") = 'integer' and "__new_program_rules"."max_discount_basis_points" between 0 and 10000))
        and "__new_program_rules"."earn_points" <= "__new_program_rules"."earn_per_amount" * 1 and "__new_program_rules"."redeem_value" <= "__new_program_rules"."redeem_points" * 10)
);
--> statement-breakpoint
INSERT INTO `__new_program_rules`("program_id", "currency", "earn_points", "earn_per_amount", "earn_rounding", "points_lifetime_months", "redeem_points", "redeem_value", "minimum_redemption", "wallet_bonus_threshold", "wallet_bonus_basis_points", "max_discount_basis_points", "max_backdate_days", "guest_claim_days", "points_vesting_days", "updated_at") SELECT "program_id", "currency", "earn_points", "earn_per_amount", "earn_rounding", "points_lifetime_months", "redeem_points", "redeem_value", "minimum_redemption", "wallet_bonus_threshold", "wallet_bonus_basis_points", "max_discount_basis_points", 7, 30, 0, "updated_at" FROM `program_rules`;--> statement-breakpoint
DROP TABLE `program_rules`;--> statement-breakpoint
ALTER TABLE `__new_program_rules` RENAME TO `program_rules`;--> statement-breakpoint
ALTER TABLE `lots` ADD `vests_at` integer;--> statement-breakpoint
ALTER TABLE `tier_settings` ADD `pending_points_count` text DEFAULT 'at_once' NOT NULL;--> statement-breakpoint
ALTER TABLE `offers` ADD `per_member_limit_period` text;--> statement-breakpoint
ALTER TABLE `offers` ADD `per_member_limit_window` text DEFAULT 'calendar' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_earn_once` ON `transfers` (`program_id`,`ref`) WHERE "transfers"."kind" = 'earn';--> statement-breakpoint
PRAGMA foreign_keys=ON;
