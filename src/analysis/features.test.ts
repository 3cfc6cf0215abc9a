import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromRoot } from "../core/package-root.js";
import { NyseCalendar } from "../data/calendar/nyse-calendar.js";
import { parseBarsCsv } from "../data/csv/parse-bars.js";
import { computeFeatures, FEATURE_COUNT, FEATURE_DESCRIPTIONS, FEATURE_NAMES, FEATURE_VERSION, FEATURE_WARMUP, latestFeatures, type OhlcvBar } from "./features.js";

const FIXTURES = fromRoot("..", "shared", "fixtures", "bars", "daily");
const haveFixtures = existsSync(FIXTURES);
if (!haveFixtures) console.warn(`features.test: real-data tests skipped, fixtures not found at ${FIXTURES}`);

function realBars(symbol: string): OhlcvBar[] {
  return parseBarsCsv(readFileSync(`${FIXTURES}/${symbol}.csv`, "utf8"), {}, new NyseCalendar()).bars;
}

/** A deterministic random walk with plausible OHLCV. */
function syntheticBars(n: number, seed = 1): OhlcvBar[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: OhlcvBar[] = [];
  let c = 100;
  for (let i = 0; i < n; i++) {
    const open = c * (1 + 0.01 * (rand() - 0.5));
    c = open * Math.exp(0.02 * (rand() - 0.5));
    const high = Math.max(open, c) * (1 + 0.01 * rand());
    const low = Math.min(open, c) * (1 - 0.01 * rand());
    out.push({ open, high, low, close: c, volume: 1e6 * (0.5 + rand()) });
  }
  return out;
}

describe("computeFeatures", () => {
  it("names, descriptions and version are consistent", () => {
    expect(FEATURE_NAMES.length).toBe(FEATURE_COUNT);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    expect(Object.keys(FEATURE_DESCRIPTIONS).sort()).toEqual([...FEATURE_NAMES].sort());
    expect(FEATURE_VERSION).toMatch(/\S/);
  });

  it("has no look-ahead: row i is unchanged when bars after i are altered or removed", () => {
    const bars = syntheticBars(700);
    const full = computeFeatures(bars);
    for (const cut of [260, 300, 451, 699]) {
      const altered = bars.map((b, i) => (i <= cut ? b : { open: b.open * 3, high: b.high * 3.5, low: b.low * 0.5, close: b.close * 2, volume: b.volume * 10 }));
      const a = computeFeatures(altered);
      const truncated = computeFeatures(bars.slice(0, cut + 1));
      for (let i = 0; i <= cut; i++) {
        for (let j = 0; j < FEATURE_COUNT; j++) {
          const want = full.matrix[i * FEATURE_COUNT + j]!;
          expect(Object.is(a.matrix[i * FEATURE_COUNT + j], want)).toBe(true);
          expect(Object.is(truncated.matrix[i * FEATURE_COUNT + j], want)).toBe(true);
        }
        expect(a.valid[i]).toBe(full.valid[i]);
      }
    }
  });

  it("marks warm-up rows invalid and every later row valid", () => {
    const f = computeFeatures(syntheticBars(400));
    expect(f.rows).toBe(400);
    for (let i = 0; i < FEATURE_WARMUP; i++) expect(f.valid[i]).toBe(0);
    for (let i = FEATURE_WARMUP; i < 400; i++) expect(f.valid[i]).toBe(1);
    expect(latestFeatures(syntheticBars(200))).toBeNull();
    expect(latestFeatures(syntheticBars(400))).toHaveLength(FEATURE_COUNT);
  });

  it("accepts bars or columns with the same result", () => {
    const bars = syntheticBars(300);
    const cols = {
      open: Float64Array.from(bars, (b) => b.open),
      high: Float64Array.from(bars, (b) => b.high),
      low: Float64Array.from(bars, (b) => b.low),
      close: Float64Array.from(bars, (b) => b.close),
      volume: Float64Array.from(bars, (b) => b.volume),
    };
    expect(Array.from(computeFeatures(cols).matrix)).toEqual(Array.from(computeFeatures(bars).matrix));
    expect(() => computeFeatures({ ...cols, volume: new Float64Array(3) })).toThrow(/volume/);
  });

  it("computes known values on a hand-checkable series", () => {
    // Constant price and volume: no trend, no volatility, no drawdown.
    const flat = Array.from({ length: 300 }, () => ({ open: 10, high: 10, low: 10, close: 10, volume: 1000 }));
    const f = computeFeatures(flat);
    const row = (i: number) => Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, f.matrix[i * FEATURE_COUNT + j]!]));
    const r = row(299);
    expect(r.close_sma50).toBe(0);
    expect(r.close_sma200).toBe(0);
    expect(r.roc5).toBe(0);
    expect(r.roc20).toBe(0);
    expect(r.log_volume_ratio).toBe(0);
    expect(r.realized_vol20).toBe(0);
    expect(r.drawdown252).toBe(0);
    expect(r.atr14_rel).toBe(0);
    expect(r.macd_hist_rel).toBe(0);
    // Price doubles on the last bar: ROC5 = +100%, drawdown 0 (new high), close/SMA50 − 1 = 2/(51/50) − 1.
    const jump = flat.map((b, i) => (i === 299 ? { open: 20, high: 20, low: 20, close: 20, volume: 1000 } : b));
    const g = computeFeatures(jump);
    const v = (name: string) => g.matrix[299 * FEATURE_COUNT + FEATURE_NAMES.indexOf(name as never)]!;
    expect(v("roc5")).toBeCloseTo(1, 12);
    expect(v("drawdown252")).toBe(0);
    expect(v("close_sma50")).toBeCloseTo(20 / ((49 * 10 + 20) / 50) - 1, 12);
    // Realised vol: one log return of ln 2 among 20 → sample stdev × √252.
    const l = Math.log(2);
    const mean = l / 20;
    const sd = Math.sqrt(((l - mean) ** 2 + 19 * mean ** 2) / 19);
    expect(v("realized_vol20")).toBeCloseTo(sd * Math.sqrt(252), 12);
  });

  it.skipIf(!haveFixtures)("is finite and in plausible ranges on real data (AAPL, JPM, XOM 2000–2020)", () => {
    for (const symbol of ["AAPL", "JPM", "XOM"]) {
      const bars = realBars(symbol);
      const f = computeFeatures(bars);
      let validRows = 0;
      for (let i = 0; i < f.rows; i++) {
        if (i >= FEATURE_WARMUP) expect(f.valid[i], `${symbol} row ${i}`).toBe(1);
        if (f.valid[i] !== 1) continue;
        validRows++;
        const get = (name: (typeof FEATURE_NAMES)[number]) => f.matrix[i * FEATURE_COUNT + FEATURE_NAMES.indexOf(name)]!;
        expect(Math.abs(get("rsi14"))).toBeLessThanOrEqual(0.5);
        expect(get("stoch_k")).toBeGreaterThanOrEqual(0);
        expect(get("stoch_k")).toBeLessThanOrEqual(1);
        expect(get("adx14")).toBeGreaterThanOrEqual(0);
        expect(get("adx14")).toBeLessThanOrEqual(1);
        expect(get("drawdown252")).toBeLessThanOrEqual(0);
        expect(get("drawdown252")).toBeGreaterThan(-1);
        expect(get("realized_vol20")).toBeGreaterThan(0);
        expect(get("realized_vol20")).toBeLessThan(5);
        expect(get("atr14_rel")).toBeGreaterThan(0);
      }
      expect(validRows).toBe(bars.length - FEATURE_WARMUP);
    }
  });
});
