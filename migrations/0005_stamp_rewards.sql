ALTER TABLE `offer_applications` ADD `free_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stamp_cards` ADD `rewards` integer DEFAULT 0 NOT NULL;