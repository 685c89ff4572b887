CREATE TABLE `state_versions` (
	`key` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	CONSTRAINT "state_versions_current" CHECK("state_versions"."version" >= 0)
);
--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers): every change of what the serializer keeps in
-- memory raises its version, whichever process or job writes it (schema/state-versions.ts).
CREATE TRIGGER `state_version_member_status` AFTER UPDATE OF `status` ON `members` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('member:' || NEW.`id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_member_delete` AFTER DELETE ON `members` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('member:' || OLD.`id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_member_balance` AFTER UPDATE OF `balance` ON `accounts` FOR EACH ROW WHEN NEW.`owner_type` = 'member' BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('member:' || NEW.`owner_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_member_account_delete` AFTER DELETE ON `accounts` FOR EACH ROW WHEN OLD.`owner_type` = 'member' BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('member:' || OLD.`owner_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_lot_insert` AFTER INSERT ON `lots` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('member:' || NEW.`member_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_lot_update` AFTER UPDATE ON `lots` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('member:' || NEW.`member_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_lot_delete` AFTER DELETE ON `lots` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('member:' || OLD.`member_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_rules_insert` AFTER INSERT ON `program_rules` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('rules:' || NEW.`program_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_rules_update` AFTER UPDATE ON `program_rules` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('rules:' || NEW.`program_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `state_version_rules_delete` AFTER DELETE ON `program_rules` FOR EACH ROW BEGIN
	INSERT INTO `state_versions` (`key`, `version`) VALUES ('rules:' || OLD.`program_id`, 1) ON CONFLICT (`key`) DO UPDATE SET `version` = `version` + 1;
END;
