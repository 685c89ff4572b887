CREATE TABLE `reminder_settings` (
	`program_id` text PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `reminders` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`member_id` text NOT NULL,
	`type` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`suppressed_because` text,
	`priority` integer NOT NULL,
	`event_id` text NOT NULL,
	`data` text NOT NULL,
	`decided_at` integer NOT NULL,
	`due_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reminders_status" CHECK("reminders"."status" in ('sent', 'held', 'suppressed')),
	CONSTRAINT "reminders_suppressed_has_why" CHECK(("reminders"."status" = 'suppressed') = ("reminders"."suppressed_because" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_dedupe` ON `reminders` (`program_id`,`member_id`,`type`,`reason`);--> statement-breakpoint
CREATE INDEX `reminders_member_due` ON `reminders` (`program_id`,`member_id`,`due_at`);--> statement-breakpoint
CREATE INDEX `reminders_held` ON `reminders` (`program_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `reminders_program` ON `reminders` (`program_id`,`id`);--> statement-breakpoint
ALTER TABLE `members` ADD `time_zone` text;