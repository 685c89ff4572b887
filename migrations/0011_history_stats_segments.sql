CREATE TABLE `member_purchase_counts` (
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`day` integer NOT NULL,
	`orders` integer NOT NULL,
	PRIMARY KEY(`member_id`, `kind`, `key`, `day`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_purchase_counts_kind" CHECK("member_purchase_counts"."kind" in ('sku', 'category')),
	CONSTRAINT "member_purchase_counts_range" CHECK((typeof("member_purchase_counts"."orders") = 'integer' and "member_purchase_counts"."orders" between 0 and 100000000000000))
);
--> statement-breakpoint
CREATE INDEX `member_purchase_counts_program_key` ON `member_purchase_counts` (`program_id`,`kind`,`key`,`day`);--> statement-breakpoint
CREATE TABLE `member_stats` (
	`member_id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`first_order_at` integer,
	`last_order_at` integer,
	`order_count` integer DEFAULT 0 NOT NULL,
	`total_spend` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_stats_range" CHECK((typeof("member_stats"."order_count") = 'integer' and "member_stats"."order_count" between 0 and 100000000000000) and (typeof("member_stats"."total_spend") = 'integer' and "member_stats"."total_spend" between 0 and 100000000000000)),
	CONSTRAINT "member_stats_dates" CHECK(("member_stats"."first_order_at" is null or (typeof("member_stats"."first_order_at") = 'integer' and "member_stats"."first_order_at" between 0 and 8640000000000000)) and ("member_stats"."first_order_at" is null) = ("member_stats"."last_order_at" is null))
);
--> statement-breakpoint
CREATE INDEX `member_stats_program_last_order` ON `member_stats` (`program_id`,`last_order_at`);--> statement-breakpoint
CREATE INDEX `member_stats_program_spend` ON `member_stats` (`program_id`,`total_spend`);--> statement-breakpoint
CREATE TABLE `order_refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`order_pk` text NOT NULL,
	`amount` integer NOT NULL,
	`points_clawed_back` integer NOT NULL,
	`points_returned` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_pk`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "order_refunds_range" CHECK((typeof("order_refunds"."amount") = 'integer' and "order_refunds"."amount" between 0 and 100000000000) and (typeof("order_refunds"."points_clawed_back") = 'integer' and "order_refunds"."points_clawed_back" between 0 and 100000000000000) and (typeof("order_refunds"."points_returned") = 'integer' and "order_refunds"."points_returned" between 0 and 100000000000000))
);
--> statement-breakpoint
CREATE INDEX `order_refunds_order` ON `order_refunds` (`order_pk`,`created_at`);--> statement-breakpoint
CREATE TABLE `segment_members` (
	`segment_id` text NOT NULL,
	`generation` integer NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`segment_id`, `generation`, `member_id`),
	FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `segment_members_member` ON `segment_members` (`member_id`,`segment_id`,`generation`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`member_count` integer DEFAULT 0 NOT NULL,
	`last_refreshed_at` integer,
	`refresh_cursor` text,
	`refresh_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "segments_status" CHECK("segments"."status" in ('active', 'archived')),
	CONSTRAINT "segments_counts" CHECK((typeof("segments"."generation") = 'integer' and "segments"."generation" between 0 and 100000000000000) and (typeof("segments"."member_count") = 'integer' and "segments"."member_count" between 0 and 100000000000000) and (typeof("segments"."refresh_count") = 'integer' and "segments"."refresh_count" between 0 and 100000000000000))
);
--> statement-breakpoint
CREATE INDEX `segments_program` ON `segments` (`program_id`,`id`);--> statement-breakpoint
ALTER TABLE `members` ADD `attributes` text DEFAULT '{}' NOT NULL CONSTRAINT "members_attributes_json" CHECK(json_type("attributes") = 'object');--> statement-breakpoint
ALTER TABLE `members` ADD `tags` text DEFAULT '[]' NOT NULL CONSTRAINT "members_tags_json" CHECK(json_type("tags") = 'array');--> statement-breakpoint
INSERT INTO `member_stats` (`member_id`, `program_id`, `first_order_at`, `last_order_at`, `order_count`, `total_spend`)
  SELECT `member_id`, `program_id`, min(`created_at`), max(`created_at`), sum(`fully_refunded_at` is null), sum(`total` - `discount` - `refunded_amount`)
  FROM `orders` WHERE `member_id` IS NOT NULL GROUP BY `member_id`;--> statement-breakpoint
INSERT INTO `member_purchase_counts` (`program_id`, `member_id`, `kind`, `key`, `day`, `orders`)
  SELECT `program_id`, `member_id`, `kind`, `key`, `day`, count(*) FROM (
    SELECT DISTINCT o.`program_id`, o.`member_id`, o.`id`, 'sku' AS `kind`, l.`sku` AS `key`, o.`created_at` / 86400000 AS `day`
    FROM `orders` o JOIN `order_lines` l ON l.`order_id` = o.`id`
    WHERE o.`member_id` IS NOT NULL AND o.`fully_refunded_at` IS NULL AND l.`refunded_quantity` < l.`quantity`
    UNION
    SELECT DISTINCT o.`program_id`, o.`member_id`, o.`id`, 'category', l.`category`, o.`created_at` / 86400000
    FROM `orders` o JOIN `order_lines` l ON l.`order_id` = o.`id`
    WHERE o.`member_id` IS NOT NULL AND o.`fully_refunded_at` IS NULL AND l.`refunded_quantity` < l.`quantity` AND l.`category` IS NOT NULL
  ) GROUP BY `program_id`, `member_id`, `kind`, `key`, `day`;
