CREATE TABLE `experiment_exposures` (
	`experiment_id` text NOT NULL,
	`member_id` text NOT NULL,
	`arm` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`first_at` integer NOT NULL,
	PRIMARY KEY(`experiment_id`, `member_id`, `subject_kind`, `subject_id`),
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "experiment_exposures_arm" CHECK("experiment_exposures"."arm" in ('treatment', 'control')),
	CONSTRAINT "experiment_exposures_subject" CHECK("experiment_exposures"."subject_kind" in ('offer', 'reminder', 'partner_campaign'))
);
--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`name` text NOT NULL,
	`salt` text NOT NULL,
	`holdout_basis_points` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`segment_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "experiments_holdout" CHECK((typeof("experiments"."holdout_basis_points") = 'integer' and "experiments"."holdout_basis_points" between 1 and 9999)),
	CONSTRAINT "experiments_window" CHECK("experiments"."starts_at" < "experiments"."ends_at")
);
--> statement-breakpoint
CREATE INDEX `experiments_program` ON `experiments` (`program_id`,`id`);--> statement-breakpoint
CREATE TABLE `global_control_groups` (
	`program_id` text PRIMARY KEY NOT NULL,
	`basis_points` integer NOT NULL,
	`salt` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "global_control_groups_range" CHECK((typeof("global_control_groups"."basis_points") = 'integer' and "global_control_groups"."basis_points" between 0 and 5000))
);
--> statement-breakpoint
CREATE INDEX `accounts_program_kind` ON `accounts` (`program_id`,`kind`,`unit`);--> statement-breakpoint
CREATE INDEX `lots_open_expiry` ON `lots` (`program_id`,`expires_at`,`remaining`) WHERE "lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX `lots_program_earned` ON `lots` (`program_id`,`earned_at`,`amount`,`remaining`);--> statement-breakpoint
CREATE INDEX `orders_counted_by_member` ON `orders` (`program_id`,`member_id`,`created_at`,`total`,`discount`,`refunded_amount`) WHERE "orders"."member_id" is not null and "orders"."fully_refunded_at" is null;