CREATE TABLE `bars` (
	`symbol` text NOT NULL,
	`timeframe` text NOT NULL,
	`ts` integer NOT NULL,
	`open` real NOT NULL,
	`high` real NOT NULL,
	`low` real NOT NULL,
	`close` real NOT NULL,
	`volume` real NOT NULL,
	`adj_close` real,
	PRIMARY KEY(`symbol`, `timeframe`, `ts`),
	FOREIGN KEY (`symbol`) REFERENCES `symbols`(`symbol`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `bars_timeframe_ts` ON `bars` (`timeframe`,`ts`);--> statement-breakpoint
CREATE TABLE `symbols` (
	`symbol` text PRIMARY KEY NOT NULL,
	`name` text,
	`sector` text,
	`exchange` text,
	`asset_class` text DEFAULT 'us_equity' NOT NULL,
	`source` text NOT NULL,
	`synthetic` integer DEFAULT false NOT NULL,
	`source_note` text,
	`updated_at` integer NOT NULL
);
