CREATE TABLE `carts` (
	`program_id` text NOT NULL,
	`cart_id` text NOT NULL,
	`member_id` text NOT NULL,
	`currency` text NOT NULL,
	`lines` text NOT NULL,
	`codes` text NOT NULL,
	`attributes` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`program_id`, `cart_id`),
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `carts_member` ON `carts` (`program_id`,`member_id`,`updated_at`);--> statement-breakpoint
DROP INDEX `reminders_held`;--> statement-breakpoint
CREATE INDEX `reminders_status_id` ON `reminders` (`program_id`,`status`,`id`,`due_at`);