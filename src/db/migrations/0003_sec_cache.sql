CREATE TABLE `sec_cache` (
	`url` text PRIMARY KEY NOT NULL,
	`status` integer NOT NULL,
	`etag` text,
	`last_modified` text,
	`content_type` text,
	`fetched_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`body` blob NOT NULL
);
