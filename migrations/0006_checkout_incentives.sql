ALTER TABLE `offer_applications` ADD `stamped_lines` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `offer_applications` ADD `stamps_returned` integer DEFAULT 0 NOT NULL CONSTRAINT "offer_applications_stamps_returned" CHECK("stamps_returned" between 0 and "stamps");
