CREATE TABLE `program_rules` (
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
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "program_rules_positive" CHECK("program_rules"."earn_points" >= 0 and "program_rules"."earn_per_amount" > 0 and "program_rules"."redeem_points" > 0 and "program_rules"."redeem_value" >= 0),
	CONSTRAINT "program_rules_limits" CHECK("program_rules"."minimum_redemption" >= 0 and "program_rules"."wallet_bonus_threshold" >= 0 and "program_rules"."wallet_bonus_basis_points" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE `accounts` (
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
	CONSTRAINT "accounts_floor" CHECK("accounts"."floor" is null or "accounts"."balance" >= "accounts"."floor")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_owner_kind_unit` ON `accounts` (`program_id`,`owner_type`,`owner_id`,`kind`,`unit`);--> statement-breakpoint
CREATE TABLE `lot_movements` (
	`transfer_id` text NOT NULL,
	`lot_id` text NOT NULL,
	`delta` integer NOT NULL,
	PRIMARY KEY(`transfer_id`, `lot_id`),
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lot_id`) REFERENCES `lots`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "lot_movements_nonzero" CHECK("lot_movements"."delta" <> 0)
);
--> statement-breakpoint
CREATE INDEX `lot_movements_lot` ON `lot_movements` (`lot_id`);--> statement-breakpoint
CREATE TABLE `lots` (
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
	CONSTRAINT "lots_remaining_in_range" CHECK("lots"."remaining" >= 0 and "lots"."remaining" <= "lots"."amount" and "lots"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX `lots_member_open` ON `lots` (`program_id`,`member_id`,`remaining`,`expires_at`);--> statement-breakpoint
CREATE INDEX `lots_expiry` ON `lots` (`expires_at`);--> statement-breakpoint
CREATE TABLE `operations` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`command` text NOT NULL,
	`request_hash` text NOT NULL,
	`member_id` text,
	`result` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operations_idempotency_key` ON `operations` (`program_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `transfers` (
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
	CONSTRAINT "transfers_amount_positive" CHECK("transfers"."amount" > 0),
	CONSTRAINT "transfers_distinct_accounts" CHECK("transfers"."debit_account_id" <> "transfers"."credit_account_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_idempotency_key` ON `transfers` (`program_id`,`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_reverses_once` ON `transfers` (`reverses_transfer_id`);--> statement-breakpoint
CREATE INDEX `transfers_debit` ON `transfers` (`debit_account_id`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_credit` ON `transfers` (`credit_account_id`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_ref` ON `transfers` (`program_id`,`ref`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`sku` text NOT NULL,
	`category` text,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`refunded_quantity` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`order_id`, `line_no`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "order_lines_quantities" CHECK("order_lines"."quantity" > 0 and "order_lines"."unit_price" >= 0 and "order_lines"."refunded_quantity" between 0 and "order_lines"."quantity")
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`order_id` text NOT NULL,
	`currency` text NOT NULL,
	`total` integer NOT NULL,
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
	CONSTRAINT "orders_amounts" CHECK("orders"."total" >= 0 and "orders"."points_payment" between 0 and "orders"."total" and "orders"."points_redeemed" >= 0 and "orders"."points_earned" >= 0),
	CONSTRAINT "orders_refund_in_range" CHECK("orders"."refunded_amount" between 0 and "orders"."total"),
	CONSTRAINT "orders_points_back_in_range" CHECK("orders"."points_clawed_back" between 0 and "orders"."points_earned" and "orders"."points_returned" between 0 and "orders"."points_redeemed")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_program_order_id` ON `orders` (`program_id`,`order_id`);