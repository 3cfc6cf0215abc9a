import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Schema. Change it here, then `npm run db:generate` writes the next migration into
 * src/db/migrations (committed); migrations apply automatically at start.
 */

export const symbols = sqliteTable("symbols", {
  symbol: text("symbol").primaryKey(),
  name: text("name"),
  /** GICS-style sector name; the risk firewall's concentration check groups by it. */
  sector: text("sector"),
  exchange: text("exchange"),
  assetClass: text("asset_class").notNull().default("us_equity"),
  /** Where the bars came from: "synthetic-demo", "csv", "alpaca", ... */
  source: text("source").notNull(),
  /** True for generated data. Every answer built on such bars says so. */
  synthetic: integer("synthetic", { mode: "boolean" }).notNull().default(false),
  /** Free text about the source (file name, generator seed), shown next to the data. */
  sourceNote: text("source_note"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * OHLCV bars. `ts` is the bar's START in epoch milliseconds UTC (Alpaca's convention);
 * a 1Day bar starts at 00:00 America/New_York of its session date.
 */
export const bars = sqliteTable(
  "bars",
  {
    symbol: text("symbol").notNull().references(() => symbols.symbol, { onDelete: "cascade" }),
    timeframe: text("timeframe").notNull(),
    ts: integer("ts").notNull(),
    open: real("open").notNull(),
    high: real("high").notNull(),
    low: real("low").notNull(),
    close: real("close").notNull(),
    volume: real("volume").notNull(),
    /** Split- and dividend-adjusted close when the source has one (Yahoo's Adj Close). */
    adjClose: real("adj_close"),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.timeframe, t.ts] }),
    index("bars_timeframe_ts").on(t.timeframe, t.ts),
  ],
);

export type SymbolRow = typeof symbols.$inferSelect;
export type NewSymbolRow = typeof symbols.$inferInsert;
export type BarRow = typeof bars.$inferSelect;
export type NewBarRow = typeof bars.$inferInsert;

