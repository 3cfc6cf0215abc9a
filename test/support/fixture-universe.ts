import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { App } from "../../src/app.js";
import { FIXTURES } from "./app.js";

/** The real daily bars of ../shared/fixtures (56 large caps, 2000–2020) and their GICS sectors. */
export const DAILY_FIXTURES = join(FIXTURES, "bars", "daily");
export const HAS_DAILY_FIXTURES = existsSync(DAILY_FIXTURES);

/** Ticker → GICS sector from the S&P 500 constituents reference file. */
export function fixtureSectors(): Map<string, string> {
  const rows = parse(readFileSync(join(FIXTURES, "reference", "sp500_constituents.csv"), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [r.Symbol!, r["GICS Sector"]!]));
}

/** The 56 fixture tickers (SPY, the benchmark, is separate), sorted. */
export function fixtureTickers(): string[] {
  return readdirSync(DAILY_FIXTURES)
    .filter((f) => f.endsWith(".csv") && f !== "SPY.csv")
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Imports daily fixtures with their sectors (SPY as "ETF"); returns the tickers imported. */
export function importDailyFixtures(app: App, tickers: readonly string[] = fixtureTickers(), opts: { spy?: boolean } = {}): string[] {
  const sectors = fixtureSectors();
  for (const t of tickers) {
    app.data.importCsv({ path: join(DAILY_FIXTURES, `${t}.csv`), symbol: t, ...(sectors.get(t) ? { sector: sectors.get(t)! } : {}) }, { trusted: true });
  }
  if (opts.spy) app.data.importCsv({ path: join(DAILY_FIXTURES, "SPY.csv"), symbol: "SPY", sector: "ETF" }, { trusted: true });
  return [...tickers];
}

/**
 * The 20-year trend strategy of the backtest test and benchmark: SMA 50/200 trend with
 * 60-session momentum ranking and 20 equal-weight slots — twice the default limit of 10
 * open positions, so the firewall visibly binds.
 */
export const TREND_20_SLOTS = {
  kind: "rules",
  indicators: { fast: { name: "sma", period: 50 }, slow: { name: "sma", period: 200 }, mom: { name: "roc", period: 60 } },
  entry: { left: "fast", op: ">", right: "slow" },
  exit: { left: "fast", op: "<", right: "slow" },
  rankBy: "mom",
  sizing: { kind: "equal_weight", slots: 20 },
  rebalance: "weekly",
} as const;
