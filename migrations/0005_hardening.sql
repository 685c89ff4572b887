-- Rules whose rates leave the bounds (platform/bounds.ts) are clamped to them: at most 1 point per
-- minor unit, a point worth at most 10 minor units.
-- Fingerprints written before this migration are unkeyed SHA-256 (key_id null): the rekey-fingerprints
-- job re-keys those of addresses still on a member and deletes the rest.
ALTER TABLE `email_fingerprints` ADD `key_id` text;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
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
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "program_rules_positive" CHECK("__new_program_rules"."earn_points" >= 0 and "__new_program_rules"."earn_per_amount" > 0 and "__new_program_rules"."redeem_points" > 0 and "__new_program_rules"."redeem_value" >= 0),
	CONSTRAINT "program_rules_limits" CHECK("__new_program_rules"."minimum_redemption" >= 0 and "__new_program_rules"."wallet_bonus_threshold" >= 0 and "__new_program_rules"."wallet_bonus_basis_points" between 0 and 10000),
	CONSTRAINT "program_rules_discount_cap" CHECK("__new_program_rules"."max_discount_basis_points" is null or "__new_program_rules"."max_discount_basis_points" between 0 and 10000),
	CONSTRAINT "program_rules_range" CHECK((typeof("__new_program_rules"."earn_points") = 'integer' and "__new_program_rules"."earn_points" between 0 and 1000000) and (typeof("__new_program_rules"."earn_per_amount") = 'integer' and "__new_program_rules"."earn_per_amount" between 1 and 1000000000) and (typeof("__new_program_rules"."redeem_points") = 'integer' and "__new_program_rules"."redeem_points" between 1 and 1000000000) and (typeof("__new_program_rules"."redeem_value") = 'integer' and "__new_program_rules"."redeem_value" between 0 and 1000000000)
        and (typeof("__new_program_rules"."minimum_redemption") = 'integer' and "__new_program_rules"."minimum_redemption" between 0 and 1000000000) and (typeof("__new_program_rules"."wallet_bonus_basis_points") = 'integer' and "__new_program_rules"."wallet_bonus_basis_points" between 0 and 10000) and ("__new_program_rules"."max_discount_basis_points" is null or (typeof("__new_program_rules"."max_discount_basis_points") = 'integer' and "__new_program_rules"."max_discount_basis_points" between 0 and 10000))
        and "__new_program_rules"."earn_points" <= "__new_program_rules"."earn_per_amount" * 1 and "__new_program_rules"."redeem_value" <= "__new_program_rules"."redeem_points" * 10)
);
--> statement-breakpoint
INSERT INTO `__new_program_rules`("program_id", "currency", "earn_points", "earn_per_amount", "earn_rounding", "points_lifetime_months", "redeem_points", "redeem_value", "minimum_redemption", "wallet_bonus_threshold", "wallet_bonus_basis_points", "max_discount_basis_points", "updated_at") SELECT "program_id", "currency", min("earn_points", "earn_per_amount"), "earn_per_amount", "earn_rounding", "points_lifetime_months", "redeem_points", min("redeem_value", "redeem_points" * 10), "minimum_redemption", "wallet_bonus_threshold", "wallet_bonus_basis_points", "max_discount_basis_points", "updated_at" FROM `program_rules`;--> statement-breakpoint
DROP TABLE `program_rules`;--> statement-breakpoint
ALTER TABLE `__new_program_rules` RENAME TO `program_rules`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`owner_type` text NOT NULL,
	`owner_id` text NOT NULL,
	`kind` text NOT NULL,
	`unit` text NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`floor` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "accounts_floor" CHECK("__new_accounts"."floor" is null or "__new_accounts"."balance" >= "__new_accounts"."floor"),
	CONSTRAINT "accounts_balance_range" CHECK((typeof("__new_accounts"."balance") = 'integer' and "__new_accounts"."balance" between -100000000000000 and 100000000000000) and ("__new_accounts"."floor" is null or (typeof("__new_accounts"."floor") = 'integer' and "__new_accounts"."floor" between -100000000000000 and 100000000000000)))
);
--> statement-breakpoint
INSERT INTO `__new_accounts`("id", "program_id", "owner_type", "owner_id", "kind", "unit", "balance", "floor", "created_at") SELECT "id", "program_id", "owner_type", "owner_id", "kind", "unit", "balance", "floor", "created_at" FROM `accounts`;--> statement-breakpoint
DROP TABLE `accounts`;--> statement-breakpoint
ALTER TABLE `__new_accounts` RENAME TO `accounts`;--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_owner_kind_unit` ON `accounts` (`program_id`,`owner_type`,`owner_id`,`kind`,`unit`);--> statement-breakpoint
CREATE TABLE `__new_lot_movements` (
	`transfer_id` text NOT NULL,
	`lot_id` text NOT NULL,
	`delta` integer NOT NULL,
	PRIMARY KEY(`transfer_id`, `lot_id`),
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lot_id`) REFERENCES `lots`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lot_movements_nonzero" CHECK("__new_lot_movements"."delta" <> 0),
	CONSTRAINT "lot_movements_delta_range" CHECK((typeof("__new_lot_movements"."delta") = 'integer' and "__new_lot_movements"."delta" between -100000000000000 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_lot_movements`("transfer_id", "lot_id", "delta") SELECT "transfer_id", "lot_id", "delta" FROM `lot_movements`;--> statement-breakpoint
DROP TABLE `lot_movements`;--> statement-breakpoint
ALTER TABLE `__new_lot_movements` RENAME TO `lot_movements`;--> statement-breakpoint
CREATE INDEX `lot_movements_lot` ON `lot_movements` (`lot_id`);--> statement-breakpoint
CREATE TABLE `__new_lots` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`account_id` text NOT NULL,
	`source_transfer_id` text NOT NULL,
	`amount` integer NOT NULL,
	`remaining` integer NOT NULL,
	`earned_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lots_remaining_in_range" CHECK("__new_lots"."remaining" >= 0 and "__new_lots"."remaining" <= "__new_lots"."amount" and "__new_lots"."amount" > 0),
	CONSTRAINT "lots_amount_range" CHECK((typeof("__new_lots"."amount") = 'integer' and "__new_lots"."amount" between 1 and 100000000000000) and (typeof("__new_lots"."remaining") = 'integer' and "__new_lots"."remaining" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_lots`("id", "program_id", "member_id", "account_id", "source_transfer_id", "amount", "remaining", "earned_at", "expires_at") SELECT "id", "program_id", "member_id", "account_id", "source_transfer_id", "amount", "remaining", "earned_at", "expires_at" FROM `lots`;--> statement-breakpoint
DROP TABLE `lots`;--> statement-breakpoint
ALTER TABLE `__new_lots` RENAME TO `lots`;--> statement-breakpoint
CREATE INDEX `lots_member_open` ON `lots` (`program_id`,`member_id`,`remaining`,`expires_at`);--> statement-breakpoint
CREATE INDEX `lots_expiry` ON `lots` (`expires_at`);--> statement-breakpoint
CREATE TABLE `__new_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`operation_id` text NOT NULL,
	`debit_account_id` text NOT NULL,
	`credit_account_id` text NOT NULL,
	`amount` integer NOT NULL,
	`unit` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text,
	`idempotency_key` text NOT NULL,
	`reverses_transfer_id` text,
	`created_at` integer NOT NULL,
	`metadata` text,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`operation_id`) REFERENCES `operations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debit_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credit_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transfers_amount_positive" CHECK("__new_transfers"."amount" > 0),
	CONSTRAINT "transfers_distinct_accounts" CHECK("__new_transfers"."debit_account_id" <> "__new_transfers"."credit_account_id"),
	CONSTRAINT "transfers_amount_range" CHECK((typeof("__new_transfers"."amount") = 'integer' and "__new_transfers"."amount" between 1 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_transfers`("id", "program_id", "operation_id", "debit_account_id", "credit_account_id", "amount", "unit", "kind", "ref", "idempotency_key", "reverses_transfer_id", "created_at", "metadata") SELECT "id", "program_id", "operation_id", "debit_account_id", "credit_account_id", "amount", "unit", "kind", "ref", "idempotency_key", "reverses_transfer_id", "created_at", "metadata" FROM `transfers`;--> statement-breakpoint
DROP TABLE `transfers`;--> statement-breakpoint
ALTER TABLE `__new_transfers` RENAME TO `transfers`;--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_idempotency_key` ON `transfers` (`program_id`,`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_reverses_once` ON `transfers` (`reverses_transfer_id`);--> statement-breakpoint
CREATE INDEX `transfers_debit` ON `transfers` (`debit_account_id`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_credit` ON `transfers` (`credit_account_id`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_ref` ON `transfers` (`program_id`,`ref`);--> statement-breakpoint
CREATE TABLE `__new_order_lines` (
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`sku` text NOT NULL,
	`category` text,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`attributes` text,
	`refunded_quantity` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`order_id`, `line_no`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "order_lines_quantities" CHECK("__new_order_lines"."quantity" > 0 and "__new_order_lines"."unit_price" >= 0 and "__new_order_lines"."discount" between 0 and "__new_order_lines"."quantity" * "__new_order_lines"."unit_price" and "__new_order_lines"."refunded_quantity" between 0 and "__new_order_lines"."quantity"),
	CONSTRAINT "order_lines_range" CHECK((typeof("__new_order_lines"."quantity") = 'integer' and "__new_order_lines"."quantity" between 1 and 1000000) and (typeof("__new_order_lines"."unit_price") = 'integer' and "__new_order_lines"."unit_price" between 0 and 100000000000) and "__new_order_lines"."quantity" * "__new_order_lines"."unit_price" <= 100000000000
        and (typeof("__new_order_lines"."discount") = 'integer' and "__new_order_lines"."discount" between 0 and 100000000000) and (typeof("__new_order_lines"."refunded_quantity") = 'integer' and "__new_order_lines"."refunded_quantity" between 0 and 1000000))
);
--> statement-breakpoint
INSERT INTO `__new_order_lines`("order_id", "line_no", "sku", "category", "quantity", "unit_price", "discount", "attributes", "refunded_quantity") SELECT "order_id", "line_no", "sku", "category", "quantity", "unit_price", "discount", "attributes", "refunded_quantity" FROM `order_lines`;--> statement-breakpoint
DROP TABLE `order_lines`;--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;--> statement-breakpoint
CREATE TABLE `__new_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`order_id` text NOT NULL,
	`currency` text NOT NULL,
	`total` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`points_redeemed` integer NOT NULL,
	`points_payment` integer NOT NULL,
	`points_earned` integer NOT NULL,
	`refunded_amount` integer DEFAULT 0 NOT NULL,
	`points_clawed_back` integer DEFAULT 0 NOT NULL,
	`points_returned` integer DEFAULT 0 NOT NULL,
	`fully_refunded_at` integer,
	`attributes` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "orders_amounts" CHECK("__new_orders"."total" >= 0 and "__new_orders"."discount" between 0 and "__new_orders"."total" and "__new_orders"."points_payment" between 0 and "__new_orders"."total" - "__new_orders"."discount" and "__new_orders"."points_redeemed" >= 0 and "__new_orders"."points_earned" >= 0),
	CONSTRAINT "orders_refund_in_range" CHECK("__new_orders"."refunded_amount" between 0 and "__new_orders"."total" - "__new_orders"."discount"),
	CONSTRAINT "orders_points_back_in_range" CHECK("__new_orders"."points_clawed_back" between 0 and "__new_orders"."points_earned" and "__new_orders"."points_returned" between 0 and "__new_orders"."points_redeemed"),
	CONSTRAINT "orders_amounts_range" CHECK((typeof("__new_orders"."total") = 'integer' and "__new_orders"."total" between 0 and 100000000000) and (typeof("__new_orders"."discount") = 'integer' and "__new_orders"."discount" between 0 and 100000000000) and (typeof("__new_orders"."points_payment") = 'integer' and "__new_orders"."points_payment" between 0 and 100000000000) and (typeof("__new_orders"."refunded_amount") = 'integer' and "__new_orders"."refunded_amount" between 0 and 100000000000)
        and (typeof("__new_orders"."points_redeemed") = 'integer' and "__new_orders"."points_redeemed" between 0 and 100000000000000) and (typeof("__new_orders"."points_earned") = 'integer' and "__new_orders"."points_earned" between 0 and 100000000000000) and (typeof("__new_orders"."points_clawed_back") = 'integer' and "__new_orders"."points_clawed_back" between 0 and 100000000000000) and (typeof("__new_orders"."points_returned") = 'integer' and "__new_orders"."points_returned" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_orders`("id", "program_id", "member_id", "order_id", "currency", "total", "discount", "points_redeemed", "points_payment", "points_earned", "refunded_amount", "points_clawed_back", "points_returned", "fully_refunded_at", "attributes", "created_at") SELECT "id", "program_id", "member_id", "order_id", "currency", "total", "discount", "points_redeemed", "points_payment", "points_earned", "refunded_amount", "points_clawed_back", "points_returned", "fully_refunded_at", "attributes", "created_at" FROM `orders`;--> statement-breakpoint
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
	`member_id` text NOT NULL,
	`discount` integer NOT NULL,
	`bonus_points` integer NOT NULL,
	`gift_sku` text,
	`gift_quantity` integer NOT NULL,
	`stamps` integer NOT NULL,
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
	CONSTRAINT "offer_applications_range" CHECK((typeof("__new_offer_applications"."discount") = 'integer' and "__new_offer_applications"."discount" between 0 and 100000000000) and (typeof("__new_offer_applications"."bonus_points") = 'integer' and "__new_offer_applications"."bonus_points" between 0 and 100000000000000) and (typeof("__new_offer_applications"."stamps") = 'integer' and "__new_offer_applications"."stamps" between 0 and 100000000000000) and (typeof("__new_offer_applications"."free_units") = 'integer' and "__new_offer_applications"."free_units" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_offer_applications`("id", "program_id", "order_pk", "offer_id", "code_id", "member_id", "discount", "bonus_points", "gift_sku", "gift_quantity", "stamps", "free_units", "counts_as_redemption", "released_at", "created_at") SELECT "id", "program_id", "order_pk", "offer_id", "code_id", "member_id", "discount", "bonus_points", "gift_sku", "gift_quantity", "stamps", "free_units", "counts_as_redemption", "released_at", "created_at" FROM `offer_applications`;--> statement-breakpoint
DROP TABLE `offer_applications`;--> statement-breakpoint
ALTER TABLE `__new_offer_applications` RENAME TO `offer_applications`;--> statement-breakpoint
CREATE UNIQUE INDEX `offer_applications_order_offer` ON `offer_applications` (`order_pk`,`offer_id`);--> statement-breakpoint
CREATE INDEX `offer_applications_member` ON `offer_applications` (`program_id`,`member_id`,`offer_id`);--> statement-breakpoint
CREATE INDEX `offer_applications_code` ON `offer_applications` (`code_id`);--> statement-breakpoint
CREATE TABLE `__new_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`code_required` integer NOT NULL,
	`priority` integer NOT NULL,
	`exclusive` integer NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`max_redemptions` integer,
	`budget` integer,
	`per_member_limit` integer,
	`conditions` text NOT NULL,
	`effect` text NOT NULL,
	`redemptions` integer DEFAULT 0 NOT NULL,
	`discount_given` integer DEFAULT 0 NOT NULL,
	`bonus_points_given` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "offers_status" CHECK("__new_offers"."status" in ('active', 'paused', 'archived')),
	CONSTRAINT "offers_redemption_cap" CHECK("__new_offers"."redemptions" >= 0 and ("__new_offers"."max_redemptions" is null or "__new_offers"."redemptions" <= "__new_offers"."max_redemptions")),
	CONSTRAINT "offers_budget" CHECK("__new_offers"."discount_given" >= 0 and ("__new_offers"."budget" is null or "__new_offers"."discount_given" <= "__new_offers"."budget")),
	CONSTRAINT "offers_bonus_points" CHECK("__new_offers"."bonus_points_given" >= 0),
	CONSTRAINT "offers_counters_range" CHECK((typeof("__new_offers"."redemptions") = 'integer' and "__new_offers"."redemptions" between 0 and 100000000000000) and (typeof("__new_offers"."discount_given") = 'integer' and "__new_offers"."discount_given" between 0 and 100000000000000) and (typeof("__new_offers"."bonus_points_given") = 'integer' and "__new_offers"."bonus_points_given" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_offers`("id", "program_id", "name", "description", "status", "code_required", "priority", "exclusive", "starts_at", "ends_at", "max_redemptions", "budget", "per_member_limit", "conditions", "effect", "redemptions", "discount_given", "bonus_points_given", "created_at", "updated_at") SELECT "id", "program_id", "name", "description", "status", "code_required", "priority", "exclusive", "starts_at", "ends_at", "max_redemptions", "budget", "per_member_limit", "conditions", "effect", "redemptions", "discount_given", "bonus_points_given", "created_at", "updated_at" FROM `offers`;--> statement-breakpoint
DROP TABLE `offers`;--> statement-breakpoint
ALTER TABLE `__new_offers` RENAME TO `offers`;--> statement-breakpoint
CREATE INDEX `offers_program_status` ON `offers` (`program_id`,`status`);--> statement-breakpoint
CREATE TABLE `__new_stamp_cards` (
	`offer_id` text NOT NULL,
	`member_id` text NOT NULL,
	`program_id` text NOT NULL,
	`stamps` integer NOT NULL,
	`rewards` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`offer_id`, `member_id`),
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stamp_cards_stamps" CHECK("__new_stamp_cards"."stamps" >= 0),
	CONSTRAINT "stamp_cards_range" CHECK((typeof("__new_stamp_cards"."stamps") = 'integer' and "__new_stamp_cards"."stamps" between 0 and 100000000000000) and (typeof("__new_stamp_cards"."rewards") = 'integer' and "__new_stamp_cards"."rewards" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_stamp_cards`("offer_id", "member_id", "program_id", "stamps", "rewards", "updated_at") SELECT "offer_id", "member_id", "program_id", "stamps", "rewards", "updated_at" FROM `stamp_cards`;--> statement-breakpoint
DROP TABLE `stamp_cards`;--> statement-breakpoint
ALTER TABLE `__new_stamp_cards` RENAME TO `stamp_cards`;--> statement-breakpoint
CREATE INDEX `stamp_cards_member` ON `stamp_cards` (`program_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `__new_referrals` (
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
	CONSTRAINT "referrals_status" CHECK("__new_referrals"."status" in ('pending', 'converted', 'confirmed', 'rejected')),
	CONSTRAINT "referrals_amounts" CHECK("__new_referrals"."reward_points" >= 0 and "__new_referrals"."points_clawed_back" between 0 and "__new_referrals"."reward_points"),
	CONSTRAINT "referrals_points_range" CHECK((typeof("__new_referrals"."reward_points") = 'integer' and "__new_referrals"."reward_points" between 0 and 100000000000000) and (typeof("__new_referrals"."points_clawed_back") = 'integer' and "__new_referrals"."points_clawed_back" between 0 and 100000000000000))
);
--> statement-breakpoint
INSERT INTO `__new_referrals`("id", "program_id", "referrer_id", "referee_id", "status", "rejection_reason", "order_pk", "rung", "reward_points", "converted_at", "confirm_after", "confirmed_at", "conversion_seq", "points_clawed_back", "created_at") SELECT "id", "program_id", "referrer_id", "referee_id", "status", "rejection_reason", "order_pk", "rung", "reward_points", "converted_at", "confirm_after", "confirmed_at", "conversion_seq", "points_clawed_back", "created_at" FROM `referrals`;--> statement-breakpoint
DROP TABLE `referrals`;--> statement-breakpoint
ALTER TABLE `__new_referrals` RENAME TO `referrals`;--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_referee` ON `referrals` (`referee_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_referrer_seq` ON `referrals` (`referrer_id`,`conversion_seq`);--> statement-breakpoint
CREATE INDEX `referrals_referrer` ON `referrals` (`program_id`,`referrer_id`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_due` ON `referrals` (`program_id`,`status`,`confirm_after`);