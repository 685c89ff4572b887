CREATE TABLE `member_monthly_activity` (
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`month` integer NOT NULL,
	`orders` integer NOT NULL,
	`spend` integer NOT NULL,
	PRIMARY KEY(`member_id`, `month`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_monthly_activity_range" CHECK((typeof("member_monthly_activity"."orders") = 'integer' and "member_monthly_activity"."orders" between 0 and 100000000000000) and (typeof("member_monthly_activity"."spend") = 'integer' and "member_monthly_activity"."spend" between 0 and 100000000000000))
);
--> statement-breakpoint
CREATE INDEX `member_monthly_activity_program_member` ON `member_monthly_activity` (`program_id`,`member_id`,`month`);
--> statement-breakpoint
INSERT INTO `member_monthly_activity` (`program_id`, `member_id`, `month`, `orders`, `spend`)
SELECT `program_id`, `member_id`,
  CAST(strftime('%Y', `created_at` / 1000.0, 'unixepoch') AS integer) * 12 + CAST(strftime('%m', `created_at` / 1000.0, 'unixepoch') AS integer) - 1,
  count(*), sum(`total` - `discount` - `refunded_amount`)
FROM `orders`
WHERE `member_id` IS NOT NULL AND `fully_refunded_at` IS NULL
GROUP BY `member_id`, 3;
