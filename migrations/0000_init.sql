CREATE TABLE `programs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`external_id` text,
	`email` text,
	`name` text,
	`birthday` text,
	`consent_email` integer DEFAULT false NOT NULL,
	`consent_sms` integer DEFAULT false NOT NULL,
	`consent_push` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`erased_at` integer,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "members_status" CHECK("members"."status" in ('active', 'erased')),
	CONSTRAINT "members_erased_has_no_personal_data" CHECK("members"."status" = 'active' or ("members"."email" is null and "members"."external_id" is null and "members"."name" is null and "members"."birthday" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_program_external_id` ON `members` (`program_id`,`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `members_program_email` ON `members` (`program_id`,`email`);--> statement-breakpoint
CREATE INDEX `members_program_id` ON `members` (`program_id`,`id`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`trigger` text NOT NULL,
	`scheduled_for` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`processed` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`error` text,
	`report` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_started` ON `job_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE INDEX `job_runs_started` ON `job_runs` (`started_at`);