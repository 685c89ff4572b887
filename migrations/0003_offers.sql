CREATE TABLE `offer_applications` (
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
	`counts_as_redemption` integer NOT NULL,
	`released_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_pk`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `promo_codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "offer_applications_amounts" CHECK("offer_applications"."discount" >= 0 and "offer_applications"."bonus_points" >= 0 and "offer_applications"."gift_quantity" >= 0 and "offer_applications"."stamps" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `offer_applications_order_offer` ON `offer_applications` (`order_pk`,`offer_id`);--> statement-breakpoint
CREATE INDEX `offer_applications_member` ON `offer_applications` (`program_id`,`member_id`,`offer_id`);--> statement-breakpoint
CREATE INDEX `offer_applications_code` ON `offer_applications` (`code_id`);--> statement-breakpoint
CREATE TABLE `offers` (
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
	CONSTRAINT "offers_status" CHECK("offers"."status" in ('active', 'paused', 'archived')),
	CONSTRAINT "offers_redemption_cap" CHECK("offers"."redemptions" >= 0 and ("offers"."max_redemptions" is null or "offers"."redemptions" <= "offers"."max_redemptions")),
	CONSTRAINT "offers_budget" CHECK("offers"."discount_given" >= 0 and ("offers"."budget" is null or "offers"."discount_given" <= "offers"."budget")),
	CONSTRAINT "offers_bonus_points" CHECK("offers"."bonus_points_given" >= 0)
);
--> statement-breakpoint
CREATE INDEX `offers_program_status` ON `offers` (`program_id`,`status`);--> statement-breakpoint
CREATE TABLE `promo_code_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`offer_id` text NOT NULL,
	`prefix` text NOT NULL,
	`count` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `promo_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`offer_id` text NOT NULL,
	`batch_id` text,
	`code` text NOT NULL,
	`max_uses` integer,
	`per_member_limit` integer,
	`minimum_spend` integer,
	`expires_at` integer,
	`assigned_member_id` text,
	`uses` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `promo_code_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "promo_codes_uses" CHECK("promo_codes"."uses" >= 0 and ("promo_codes"."max_uses" is null or "promo_codes"."uses" <= "promo_codes"."max_uses"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `promo_codes_program_code` ON `promo_codes` (`program_id`,`code`);--> statement-breakpoint
CREATE INDEX `promo_codes_offer` ON `promo_codes` (`offer_id`,`id`);--> statement-breakpoint
CREATE INDEX `promo_codes_batch` ON `promo_codes` (`batch_id`,`id`);--> statement-breakpoint
CREATE INDEX `promo_codes_assigned` ON `promo_codes` (`program_id`,`assigned_member_id`);--> statement-breakpoint
CREATE TABLE `stamp_cards` (
	`offer_id` text NOT NULL,
	`member_id` text NOT NULL,
	`program_id` text NOT NULL,
	`stamps` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`offer_id`, `member_id`),
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stamp_cards_stamps" CHECK("stamp_cards"."stamps" >= 0)
);
--> statement-breakpoint
CREATE INDEX `stamp_cards_member` ON `stamp_cards` (`program_id`,`member_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
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
	CONSTRAINT "order_lines_quantities" CHECK("__new_order_lines"."quantity" > 0 and "__new_order_lines"."unit_price" >= 0 and "__new_order_lines"."discount" between 0 and "__new_order_lines"."quantity" * "__new_order_lines"."unit_price" and "__new_order_lines"."refunded_quantity" between 0 and "__new_order_lines"."quantity")
);
--> statement-breakpoint
INSERT INTO `__new_order_lines`("order_id", "line_no", "sku", "category", "quantity", "unit_price", "discount", "attributes", "refunded_quantity") SELECT "order_id", "line_no", "sku", "category", "quantity", "unit_price", 0, NULL, "refunded_quantity" FROM `order_lines`;--> statement-breakpoint
DROP TABLE `order_lines`;--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
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
	`attributes` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "orders_amounts" CHECK("__new_orders"."total" >= 0 and "__new_orders"."discount" between 0 and "__new_orders"."total" and "__new_orders"."points_payment" between 0 and "__new_orders"."total" - "__new_orders"."discount" and "__new_orders"."points_redeemed" >= 0 and "__new_orders"."points_earned" >= 0),
	CONSTRAINT "orders_refund_in_range" CHECK("__new_orders"."refunded_amount" between 0 and "__new_orders"."total" - "__new_orders"."discount"),
	CONSTRAINT "orders_points_back_in_range" CHECK("__new_orders"."points_clawed_back" between 0 and "__new_orders"."points_earned" and "__new_orders"."points_returned" between 0 and "__new_orders"."points_redeemed")
);
--> statement-breakpoint
INSERT INTO `__new_orders`("id", "program_id", "member_id", "order_id", "currency", "total", "discount", "points_redeemed", "points_payment", "points_earned", "refunded_amount", "points_clawed_back", "points_returned", "attributes", "created_at") SELECT "id", "program_id", "member_id", "order_id", "currency", "total", 0, "points_redeemed", "points_payment", "points_earned", "refunded_amount", "points_clawed_back", "points_returned", "attributes", "created_at" FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_program_order_id` ON `orders` (`program_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `orders_member_created` ON `orders` (`program_id`,`member_id`,`created_at`);--> statement-breakpoint
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
	CONSTRAINT "program_rules_discount_cap" CHECK("__new_program_rules"."max_discount_basis_points" is null or "__new_program_rules"."max_discount_basis_points" between 0 and 10000)
);
--> statement-breakpoint
INSERT INTO `__new_program_rules`("program_id", "currency", "earn_points", "earn_per_amount", "earn_rounding", "points_lifetime_months", "redeem_points", "redeem_value", "minimum_redemption", "wallet_bonus_threshold", "wallet_bonus_basis_points", "max_discount_basis_points", "updated_at") SELECT "program_id", "currency", "earn_points", "earn_per_amount", "earn_rounding", "points_lifetime_months", "redeem_points", "redeem_value", "minimum_redemption", "wallet_bonus_threshold", "wallet_bonus_basis_points", NULL, "updated_at" FROM `program_rules`;--> statement-breakpoint
DROP TABLE `program_rules`;--> statement-breakpoint
ALTER TABLE `__new_program_rules` RENAME TO `program_rules`;