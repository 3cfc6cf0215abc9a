CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`ts` integer NOT NULL,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`channel` text NOT NULL,
	`subject` text,
	`payload` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `equity_marks` (
	`t` integer PRIMARY KEY NOT NULL,
	`equity` real NOT NULL
);
--> statement-breakpoint
CREATE TABLE `paper_account` (
	`id` integer PRIMARY KEY NOT NULL,
	`cash` real NOT NULL,
	`starting_cash` real NOT NULL,
	`realized_pl` real NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `paper_fills` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`client_order_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`qty` real NOT NULL,
	`price` real NOT NULL,
	`t` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `paper_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `paper_fills_t` ON `paper_fills` (`t`);--> statement-breakpoint
CREATE TABLE `paper_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`client_order_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`time_in_force` text NOT NULL,
	`qty` real,
	`notional` real,
	`filled_qty` real NOT NULL,
	`filled_avg_price` real,
	`limit_price` real,
	`stop_price` real,
	`trail_percent` real,
	`trail_price` real,
	`hwm` real,
	`triggered_at` integer,
	`status` text NOT NULL,
	`extended_hours` integer NOT NULL,
	`created_at` integer NOT NULL,
	`submitted_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`filled_at` integer,
	`canceled_at` integer,
	`expired_at` integer,
	`failed_at` integer,
	`reject_reason` text,
	`processed_through` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_orders_client_order_id_unique` ON `paper_orders` (`client_order_id`);--> statement-breakpoint
CREATE INDEX `paper_orders_status` ON `paper_orders` (`status`);--> statement-breakpoint
CREATE TABLE `paper_positions` (
	`symbol` text PRIMARY KEY NOT NULL,
	`qty` real NOT NULL,
	`avg_entry_price` real NOT NULL,
	`opened_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`status` text NOT NULL,
	`mode` text NOT NULL,
	`broker` text NOT NULL,
	`intent` text NOT NULL,
	`content_hash` text NOT NULL,
	`checks` text NOT NULL,
	`limits` text NOT NULL,
	`warnings` text NOT NULL,
	`estimated_notional` real,
	`reference_price` real,
	`rationale` text,
	`analysis_id` text,
	`decided_at` integer,
	`decided_by` text,
	`decision_channel` text,
	`decision_reason` text,
	`broker_order_id` text,
	`submitted_at` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `proposals_status` ON `proposals` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `risk_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`reason` text NOT NULL,
	`changed_at` integer NOT NULL,
	`changed_by` text NOT NULL
);
