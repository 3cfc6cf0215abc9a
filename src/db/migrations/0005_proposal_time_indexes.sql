CREATE INDEX `proposals_created` ON `proposals` (`created_at`);--> statement-breakpoint
CREATE INDEX `proposals_submitted` ON `proposals` (`submitted_at`);