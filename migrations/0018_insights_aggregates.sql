CREATE TABLE `points_by_earn_month` (
	`program_id` text NOT NULL,
	`month` integer NOT NULL,
	`earned` integer NOT NULL,
	`outstanding` integer NOT NULL,
	`expired` integer NOT NULL,
	PRIMARY KEY(`program_id`, `month`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "points_by_earn_month_range" CHECK((typeof("points_by_earn_month"."earned") = 'integer' and "points_by_earn_month"."earned" between 0 and 100000000000000) and (typeof("points_by_earn_month"."outstanding") = 'integer' and "points_by_earn_month"."outstanding" between 0 and 100000000000000) and (typeof("points_by_earn_month"."expired") = 'integer' and "points_by_earn_month"."expired" between 0 and 100000000000000))
);
--> statement-breakpoint
DROP INDEX `lots_program_earned`;--> statement-breakpoint
CREATE INDEX `orders_discounted` ON `orders` (`program_id`,`currency`,`discount`) WHERE "orders"."discount" > 0;
--> statement-breakpoint
INSERT INTO `points_by_earn_month` (`program_id`, `month`, `earned`, `outstanding`, `expired`)
SELECT l.`program_id`,
  CAST(strftime('%Y', l.`earned_at` / 1000.0, 'unixepoch') AS integer) * 12 + CAST(strftime('%m', l.`earned_at` / 1000.0, 'unixepoch') AS integer) - 1,
  sum(l.`amount`), sum(l.`remaining`),
  coalesce(sum((SELECT -sum(m.`delta`) FROM `lot_movements` m JOIN `transfers` t ON t.`id` = m.`transfer_id` WHERE m.`lot_id` = l.`id` AND t.`kind` = 'expiry')), 0)
FROM `lots` l
GROUP BY l.`program_id`, 2;
