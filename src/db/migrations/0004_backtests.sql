CREATE TABLE `backtests` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`strategy` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`config` text NOT NULL,
	`config_hash` text NOT NULL,
	`data_hash` text NOT NULL,
	`report_hash` text NOT NULL,
	`summary` text NOT NULL,
	`report` text NOT NULL,
	`elapsed_ms` integer NOT NULL,
	`bars` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backtests_created` ON `backtests` (`created_at`);