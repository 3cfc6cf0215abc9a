import { desc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { backtests } from "../db/schema.js";

export type BacktestRow = typeof backtests.$inferSelect;
export type BacktestListRow = Omit<BacktestRow, "report" | "config">;

/** Finished backtests in the user's database (one row each, written once). */
export class BacktestStore {
  constructor(private readonly db: Db) {}

  insert(row: BacktestRow): void {
    this.db.insert(backtests).values(row).run();
  }

  get(id: string): BacktestRow | undefined {
    return this.db.select().from(backtests).where(eq(backtests.id, id)).get();
  }

  /** Newest first (insertion order within the same instant), without the (large) report and config. */
  list(limit: number): BacktestListRow[] {
    const { report: _report, config: _config, ...columns } = getTableColumns(backtests);
    return this.db.select(columns).from(backtests).orderBy(desc(backtests.createdAt), desc(sql`rowid`)).limit(limit).all();
  }
}
