-- One row per member and UTC day with a counted order replaces purchase counts (a row per member,
-- key and day: about four an order) and monthly activity: an order writes one member-keyed B-tree
-- for its history instead of two, each about a random page per order once large. Hand-edited:
-- drizzle-kit models neither `WITHOUT ROWID` nor the data carried over.
CREATE TABLE `member_daily_activity` (
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`day` integer NOT NULL,
	`month` integer NOT NULL,
	`orders` integer NOT NULL,
	`spend` integer NOT NULL,
	`purchases` text NOT NULL,
	PRIMARY KEY(`program_id`, `member_id`, `day`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_daily_activity_range" CHECK((typeof("member_daily_activity"."day") = 'integer' and "member_daily_activity"."day" between 0 and 100000000) and (typeof("member_daily_activity"."month") = 'integer' and "member_daily_activity"."month" between 0 and 3309131) and (typeof("member_daily_activity"."orders") = 'integer' and "member_daily_activity"."orders" between 0 and 100000000000000) and (typeof("member_daily_activity"."spend") = 'integer' and "member_daily_activity"."spend" between 0 and 100000000000000)),
	CONSTRAINT "member_daily_activity_purchases" CHECK(json_valid("member_daily_activity"."purchases") and "member_daily_activity"."purchases" like '[%')
) WITHOUT ROWID;
--> statement-breakpoint
-- Orders and spend per day from the orders (as migration 0017 did per month: an order counts while
-- not fully refunded, for what was paid after discounts and refunds); the day's purchases from the
-- purchase counts, as `[kind, key, orders]` sorted by kind then key.
INSERT INTO `member_daily_activity` (`program_id`, `member_id`, `day`, `month`, `orders`, `spend`, `purchases`)
SELECT o.`program_id`, o.`member_id`, o.`day`,
  CAST(strftime('%Y', o.`day` * 86400, 'unixepoch') AS integer) * 12 + CAST(strftime('%m', o.`day` * 86400, 'unixepoch') AS integer) - 1,
  o.`orders`, o.`spend`, coalesce(p.`purchases`, '[]')
FROM (
  SELECT `program_id`, `member_id`, `created_at` / 86400000 AS `day`, count(*) AS `orders`, sum(`total` - `discount` - `refunded_amount`) AS `spend`
  FROM `orders`
  WHERE `member_id` IS NOT NULL AND `fully_refunded_at` IS NULL
  GROUP BY `member_id`, 3
) o
LEFT JOIN (
  SELECT `member_id`, `day`, json_group_array(json_array(`kind`, `key`, `orders`) ORDER BY `kind`, `key`) AS `purchases`
  FROM `member_purchase_counts`
  WHERE `orders` > 0
  GROUP BY `member_id`, `day`
) p ON p.`member_id` = o.`member_id` AND p.`day` = o.`day`;
--> statement-breakpoint
DROP TABLE `member_monthly_activity`;--> statement-breakpoint
DROP TABLE `member_purchase_counts`;
