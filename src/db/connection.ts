import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { fromRoot } from "../core/package-root.js";
import * as schema from "./schema.js";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabaseOptions {
  /** File path or ":memory:". */
  path: string;
  synchronous: "OFF" | "NORMAL" | "FULL" | "EXTRA";
}

export const MIGRATIONS_DIR = fromRoot("src", "db", "migrations");

/**
 * Opens the database, sets the pragmas the design relies on and applies pending
 * migrations. WAL lets readers (the HTTP server, a CLI `call`) work while a writer
 * imports; `synchronous` is set explicitly rather than left to the build's default.
 */
export function openDatabase(opts: OpenDatabaseOptions): Db {
  if (opts.path !== ":memory:") mkdirSync(dirname(opts.path), { recursive: true });
  const client = new Database(opts.path);
  client.pragma("journal_mode = WAL");
  client.pragma(`synchronous = ${opts.synchronous}`);
  client.pragma("foreign_keys = ON");
  // A second process (CLI import while the server runs) waits instead of failing at once.
  client.pragma("busy_timeout = 5000");
  const db = drizzle(client, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db as Db;
}
