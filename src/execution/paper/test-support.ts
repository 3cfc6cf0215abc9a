/**
 * Helpers for the paper broker tests (used only by `*.test.ts`; no vitest import, and
 * excluded from the build). Expected prices are computed from the fixture CSVs read
 * here directly, independently of the DataManager the broker reads them through.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DateTime } from "luxon";
import { FIXTURES, createTestApp, type TestApp } from "../../../test/support/app.js";
import { PaperBroker, type PaperBrokerOptions } from "./paper-broker.js";

export const DAILY_DIR = join(FIXTURES, "bars", "daily");
export const MINUTE_DIR = join(FIXTURES, "bars", "minute");
export const HAVE_DAILY = existsSync(join(DAILY_DIR, "AAPL.csv")) && existsSync(join(DAILY_DIR, "JPM.csv"));
export const HAVE_MINUTE = existsSync(join(MINUTE_DIR, "AAPL_1min.csv")) && existsSync(join(MINUTE_DIR, "JPM_1min.csv"));
export const SKIP_REASON = `needs the real bars in ${FIXTURES}; skipped when ../shared/fixtures is absent`;

export interface CsvBar {
  /** Bar start, epoch ms (a daily bar: midnight New York). */
  t: number;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const NY = "America/New_York";

/** Yahoo layout: Date,Open,High,Low,Close,Adj Close,Volume. Keyed by date. */
export function readDaily(file: string): Map<string, CsvBar> {
  const out = new Map<string, CsvBar>();
  for (const line of readFileSync(file, "utf8").trim().split(/\r?\n/).slice(1)) {
    const [date, open, high, low, close, _adj, volume] = line.split(",");
    out.set(date!, {
      t: DateTime.fromISO(date!, { zone: NY }).toMillis(),
      date: date!,
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    });
  }
  return out;
}

/** eqker layout: datetime (the bar's END, New York),open,high,low,close,volume, newest first. Ascending by start. */
export function readMinutes(file: string): CsvBar[] {
  const out: CsvBar[] = [];
  for (const line of readFileSync(file, "utf8").trim().split(/\r?\n/).slice(1)) {
    const [stamp, open, high, low, close, volume] = line.split(",");
    const end = DateTime.fromFormat(stamp!, "yyyy-MM-dd HH:mm:ss", { zone: NY }).toMillis();
    out.push({ t: end - 60_000, date: stamp!.slice(0, 10), open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume) });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** New York wall time to epoch ms: `ny("2018-06-01 17:00")`. */
export function ny(local: string): number {
  return DateTime.fromFormat(local, local.length > 16 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", { zone: NY }).toMillis();
}

/** Price arithmetic the tests expect, written out independently of the model. */
export const cents = (x: number): number => Math.round(x * 100) / 100;
export const buySlip = (p: number, bps = 5): number => cents(p * (1 + bps / 1e4));
export const sellSlip = (p: number, bps = 5): number => cents(p * (1 - bps / 1e4));

export interface PaperHarness {
  t: TestApp;
  broker: PaperBroker;
  /** Session open/close of a date, epoch ms. */
  open(date: string): number;
  close(date: string): number;
  at(t: number): void;
}

/** A non-demo app at `now` with the given fixture files imported, and a PaperBroker on it. */
export function paperHarness(opts: { now: number; files: string[]; broker?: PaperBrokerOptions }): PaperHarness {
  const t = createTestApp({ demo: false, now: opts.now });
  for (const path of opts.files) t.app.data.importCsv({ path }, { trusted: true });
  const broker = new PaperBroker(t.app.db, t.app.data, t.clock, opts.broker);
  const cal = t.app.data.calendar;
  return {
    t,
    broker,
    open: (date) => cal.session(date)!.open,
    close: (date) => cal.session(date)!.close,
    at: (time) => t.clock.set(time),
  };
}
