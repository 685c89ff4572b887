-- Purchase counts keyed by (member, day, kind, key) instead of (member, kind, key, day): the four or
-- so rows an order adds (its SKUs and categories, all of one member and one day) sit side by side
-- in the key's B-tree, so an order writes about one page of it instead of two or three (the order
-- import's cost is the pages it writes). Readers seek the member and the window's first day.
-- Hand-edited: drizzle-kit does not model `WITHOUT ROWID` (migration 0019).
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_member_purchase_counts` (
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`day` integer NOT NULL,
	`orders` integer NOT NULL,
	PRIMARY KEY(`member_id`, `day`, `kind`, `key`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_purchase_counts_kind" CHECK("__new_member_purchase_counts"."kind" in ('sku', 'category')),
	CONSTRAINT "member_purchase_counts_range" CHECK((typeof("__new_member_purchase_counts"."orders") = 'integer' and "__new_member_purchase_counts"."orders" between 0 and 100000000000000))
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_member_purchase_counts`("program_id", "member_id", "kind", "key", "day", "orders") SELECT "program_id", "member_id", "kind", "key", "day", "orders" FROM `member_purchase_counts`;--> statement-breakpoint
DROP TABLE `member_purchase_counts`;--> statement-breakpoint
ALTER TABLE `__new_member_purchase_counts` RENAME TO `member_purchase_counts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;