CREATE INDEX `accounts_program` ON `accounts` (`program_id`,`id`);--> statement-breakpoint
CREATE INDEX `lots_program` ON `lots` (`program_id`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_program` ON `transfers` (`program_id`,`id`);