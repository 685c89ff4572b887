ALTER TABLE `offer_applications` ADD `stamped_lines` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `offer_applications` ADD `stamps_returned` integer DEFAULT 0 NOT NULL CONSTRAINT "offer_applications_stamps_returned" CHECK("stamps_returned" between 0 and "stamps");--> statement-breakpoint
ALTER TABLE `offers` ADD `per_member_limit_period` text;--> statement-breakpoint
ALTER TABLE `offers` ADD `per_member_limit_window` text DEFAULT 'calendar' NOT NULL;--> statement-breakpoint
ALTER TABLE `program_rules` ADD `max_backdate_days` integer DEFAULT 7 NOT NULL CONSTRAINT "program_rules_max_backdate_days" CHECK("max_backdate_days" between 0 and 365);
