/**
 * Fixture loading and comparison helpers for the indicator tests (used only by
 * `*.test.ts`; no vitest import, so it is harmless in the build).
 *
 * Real bars live beside the project in ../shared/fixtures (DESIGN §9) and are never copied
 * in; tests skip with a message when that folder is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";

export const FIXTURES = resolve(import.meta.dirname, "../../../../shared/fixtures");
export const DAILY_DIR = resolve(FIXTURES, "bars/daily");
export const MINUTE_DIR = resolve(FIXTURES, "bars/minute");
export const HAVE_DAILY = existsSync(resolve(DAILY_DIR, "AAPL.csv"));
export const HAVE_MINUTE = existsSync(resolve(MINUTE_DIR, "AAPL_1min.csv"));
export const SKIP_REASON = `real bars from ${FIXTURES}; skipped when ../shared/fixtures is absent`;

/** Daily fixtures used for the peer comparisons: a tech, a bank and an energy stock. */
export const PEER_SYMBOLS = ["AAPL", "JPM", "XOM"] as const;

export interface Columns {
  symbol: string;
  n: number;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface MinuteColumns extends Columns {
  /** "YYYY-MM-DD HH:mm:ss", New York time, oldest first. */
  stamp: string[];
  /** Day number (days since 1970-01-01) of each bar's New York date. */
  session: Int32Array;
}

function num(row: Record<string, string>, key: string, where: string): number {
  const v = Number(row[key]);
  if (!Number.isFinite(v)) throw new Error(`${where}: column ${key} is not a number: ${row[key]}`);
  return v;
}

function columns(symbol: string, rows: Record<string, string>[], keys: [string, string, string, string, string]): Columns {
  const n = rows.length;
  const c: Columns = {
    symbol,
    n,
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  rows.forEach((r, i) => {
    const where = `${symbol} row ${i + 2}`;
    c.open[i] = num(r, keys[0], where);
    c.high[i] = num(r, keys[1], where);
    c.low[i] = num(r, keys[2], where);
    c.close[i] = num(r, keys[3], where);
    c.volume[i] = num(r, keys[4], where);
  });
  return c;
}

const cache = new Map<string, Columns>();

/** Raw (split-adjusted, not dividend-adjusted) Open/High/Low/Close/Volume of a Yahoo daily CSV. */
export function loadDaily(symbol: string): Columns {
  const hit = cache.get(symbol);
  if (hit) return hit;
  const rows = parse(readFileSync(resolve(DAILY_DIR, `${symbol}.csv`), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const c = columns(symbol, rows, ["Open", "High", "Low", "Close", "Volume"]);
  cache.set(symbol, c);
  return c;
}

/** One-minute bars, re-ordered oldest first, with New York date session keys. */
export function loadMinute(symbol: string): MinuteColumns {
  const rows = parse(readFileSync(resolve(MINUTE_DIR, `${symbol}_1min.csv`), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  rows.reverse();
  const c = columns(symbol, rows, ["open", "high", "low", "close", "volume"]);
  const stamp = rows.map((r) => r.datetime ?? "");
  const session = new Int32Array(stamp.map((s) => dayNumber(s.slice(0, 10))));
  return { ...c, stamp, session };
}

/** Days since 1970-01-01 of a YYYY-MM-DD calendar date: the calendar's own function. */
export { dayNumber } from "../../data/calendar/dates.js";
import { dayNumber } from "../../data/calendar/dates.js";

/**
 * Largest |ours[i] − ref[i]| / max(floor, |ref[i]|) over i in [from, to) — the relative
 * error for values above `floor` in magnitude, the absolute error scaled by 1/floor below.
 * Throws if exactly one of the two is NaN at some index (a warm-up mismatch).
 */
export function maxError(ours: ArrayLike<number>, ref: ArrayLike<number>, from: number, to = ours.length, floor = 1): { err: number; at: number } {
  let err = 0;
  let at = -1;
  for (let i = from; i < to; i++) {
    const a = ours[i]!;
    const b = ref[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      throw new Error(`NaN mismatch at ${i}: ours ${a}, reference ${b}`);
    }
    const e = Math.abs(a - b) / Math.max(floor, Math.abs(b));
    if (e > err) {
      err = e;
      at = i;
    }
  }
  return { err, at };
}

/** Left-pads a peer's output (which omits warm-up) with NaN to `n` entries. */
export function alignRight(values: ArrayLike<number | undefined | null>, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  const off = n - values.length;
  if (off < 0) throw new Error(`peer output has ${values.length} values for ${n} bars`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[off + i] = v === undefined || v === null ? NaN : v;
  }
  return out;
}

/** A plain number[] copy of a column (the peers take arrays). */
export function plain(values: Float64Array): number[] {
  return Array.from(values);
}

/** Index of the first non-NaN value, or −1. */
export function firstDefined(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) return i;
  return -1;
}

/**
 * First index where two series are not the same value in the `Object.is` sense (NaN equals
 * NaN, +0 differs from −0), or null when they are identical.
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): { at: number; a: number; b: number } | null {
  if (a.length !== b.length) return { at: Math.min(a.length, b.length), a: a.length, b: b.length };
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return { at: i, a: a[i]!, b: b[i]! };
  return null;
}

/**
 * Tolerance against a peer with the same algorithm and seeding, for errors measured by
 * `maxError` (|ours − peer| / max(1, |peer|): relative above 1 in magnitude, absolute
 * below). Stricter than the 1e-6 required: the observed differences are ~1e-12, rounding
 * order only.
 */
export const SAME_ALGORITHM_TOL = 1e-9;
/** Agreement required with a differently seeded peer once the seed has decayed. */
export const DECAYED_TOL = 1e-6;
