CREATE TABLE `analyses` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`clock_kind` text NOT NULL,
	`symbol` text NOT NULL,
	`timeframe` text NOT NULL,
	`as_of` integer NOT NULL,
	`bar_from` integer NOT NULL,
	`bar_to` integer NOT NULL,
	`bar_count` integer NOT NULL,
	`data_hash` text NOT NULL,
	`data_source` text NOT NULL,
	`synthetic` integer NOT NULL,
	`indicators` text NOT NULL,
	`votes` text NOT NULL,
	`weights` text NOT NULL,
	`weight_set_id` text,
	`regime` text NOT NULL,
	`regime_detail` text NOT NULL,
	`probability` real,
	`model_version` text,
	`decision` text NOT NULL,
	`confidence` real NOT NULL,
	`ensemble_score` real NOT NULL,
	`entry` real NOT NULL,
	`stop` real,
	`targets` text NOT NULL,
	`risk_reward` real,
	`rationale` text NOT NULL,
	`horizon_days` integer NOT NULL,
	`llm_provider` text,
	`llm_model` text,
	`llm_prompt` text,
	`llm_response` text,
	`llm_input_tokens` integer,
	`llm_output_tokens` integer,
	`llm_latency_ms` integer,
	`llm_cost_usd` real,
	`scored_at` integer,
	`exit_time` integer,
	`exit_price` real,
	`realized_return` real,
	`outcome` text,
	`success_score` real
);
--> statement-breakpoint
CREATE INDEX `analyses_symbol_as_of` ON `analyses` (`symbol`,`as_of`);--> statement-breakpoint
CREATE INDEX `analyses_scored` ON `analyses` (`scored_at`);--> statement-breakpoint
CREATE TABLE `weight_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`regime` text NOT NULL,
	`weights` text NOT NULL,
	`evidence` text NOT NULL,
	`sample_size` integer NOT NULL,
	`method` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `weight_sets_regime_created` ON `weight_sets` (`regime`,`created_at`);