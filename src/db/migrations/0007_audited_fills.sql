CREATE TABLE `audited_fills` (
	`fill_id` text PRIMARY KEY NOT NULL,
	`t` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audited_fills_t` ON `audited_fills` (`t`);