-- Fewer B-trees written per order (the order import wrote about twenty index entries per order into
-- a dozen trees, each at a random place). Hand-edited: drizzle-kit models neither `WITHOUT ROWID`
-- nor the rebuild of a table whose definition it sees unchanged (purchase counts, order lines).
-- A `WITHOUT ROWID` table keeps its rows in the primary key's B-tree: one tree instead of a rowid
-- table plus the key's index.
--
-- Known purchase keys (a segment may only name a category bought), filled from the purchase counts.
CREATE TABLE `purchased_keys` (
	`program_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	PRIMARY KEY(`program_id`, `kind`, `key`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "purchased_keys_kind" CHECK("purchased_keys"."kind" in ('sku', 'category'))
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `purchased_keys` (`program_id`, `kind`, `key`)
SELECT DISTINCT `program_id`, `kind`, `key` FROM `member_purchase_counts`;
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_member_monthly_activity` (
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`month` integer NOT NULL,
	`orders` integer NOT NULL,
	`spend` integer NOT NULL,
	PRIMARY KEY(`program_id`, `member_id`, `month`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_monthly_activity_range" CHECK((typeof("__new_member_monthly_activity"."orders") = 'integer' and "__new_member_monthly_activity"."orders" between 0 and 100000000000000) and (typeof("__new_member_monthly_activity"."spend") = 'integer' and "__new_member_monthly_activity"."spend" between 0 and 100000000000000))
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_member_monthly_activity`("program_id", "member_id", "month", "orders", "spend") SELECT "program_id", "member_id", "month", "orders", "spend" FROM `member_monthly_activity`;--> statement-breakpoint
DROP TABLE `member_monthly_activity`;--> statement-breakpoint
ALTER TABLE `__new_member_monthly_activity` RENAME TO `member_monthly_activity`;--> statement-breakpoint
CREATE TABLE `__new_member_purchase_counts` (
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`day` integer NOT NULL,
	`orders` integer NOT NULL,
	PRIMARY KEY(`member_id`, `kind`, `key`, `day`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_purchase_counts_kind" CHECK("__new_member_purchase_counts"."kind" in ('sku', 'category')),
	CONSTRAINT "member_purchase_counts_range" CHECK((typeof("__new_member_purchase_counts"."orders") = 'integer' and "__new_member_purchase_counts"."orders" between 0 and 100000000000000))
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_member_purchase_counts`("program_id", "member_id", "kind", "key", "day", "orders") SELECT "program_id", "member_id", "kind", "key", "day", "orders" FROM `member_purchase_counts`;--> statement-breakpoint
DROP TABLE `member_purchase_counts`;--> statement-breakpoint
ALTER TABLE `__new_member_purchase_counts` RENAME TO `member_purchase_counts`;--> statement-breakpoint
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
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_order_lines`("order_id", "line_no", "sku", "category", "quantity", "unit_price", "discount", "attributes", "refunded_quantity") SELECT "order_id", "line_no", "sku", "category", "quantity", "unit_price", "discount", "attributes", "refunded_quantity" FROM `order_lines`;--> statement-breakpoint
DROP TABLE `order_lines`;--> statement-breakpoint
ALTER TABLE `__new_order_lines` RENAME TO `order_lines`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
-- No reader: the stats' index by spend (RFM scores read every customer of the program by the index on last order).
DROP INDEX `member_stats_program_spend`;--> statement-breakpoint
-- One index of a member's orders by time for every reader: the member's orders and the reports'
-- counted orders (covering: what an order is worth, whether it is fully refunded).
DROP INDEX `orders_counted_by_member`;--> statement-breakpoint
DROP INDEX `orders_member_created`;--> statement-breakpoint
CREATE INDEX `orders_member_created` ON `orders` (`program_id`,`member_id`,`created_at`,`total`,`discount`,`refunded_amount`,`fully_refunded_at`);
