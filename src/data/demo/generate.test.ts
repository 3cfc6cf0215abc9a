import { beforeAll, describe, expect, it } from "vitest";
import type { Bar } from "../bar.js";
import { NyseCalendar } from "../calendar/nyse-calendar.js";
import { BENCHMARK_SYMBOL, DEMO_TICKER_PATTERN, generateDemoDataset, type DemoDataset } from "./generate.js";

const calendar = new NyseCalendar();
const END = "2026-11-20";
const GICS_SECTORS = [
  "Information Technology",
  "Health Care",
  "Financials",
  "Consumer Discretionary",
  "Consumer Staples",
  "Energy",
  "Industrials",
  "Utilities",
  "Materials",
  "Communication Services",
  "Real Estate",
];

let ds: DemoDataset;
let generationMs: number;

beforeAll(() => {
  const t0 = performance.now();
  ds = generateDemoDataset({ seed: 42, endDate: END, calendar });
  generationMs = performance.now() - t0;
});

// ---- statistics helpers -------------------------------------------------------------

function logReturns(bars: readonly Bar[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < bars.length; i++) out.push(Math.log(bars[i]!.close / bars[i - 1]!.close));
  return out;
}
function mean(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x;
  return s / a.length;
}
function variance(a: readonly number[]): number {
  const m = mean(a);
  let s = 0;
  for (const x of a) s += (x - m) ** 2;
  return s / a.length;
}
function excessKurtosis(a: readonly number[]): number {
  const m = mean(a);
  let s2 = 0;
  let s4 = 0;
  for (const x of a) {
    const d = (x - m) ** 2;
    s2 += d;
    s4 += d * d;
  }
  s2 /= a.length;
  s4 /= a.length;
  return s4 / (s2 * s2) - 3;
}
function autocorrelation(a: readonly number[], lag: number): number {
  const m = mean(a);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    den += (a[i]! - m) ** 2;
    if (i >= lag) num += (a[i]! - m) * (a[i - lag]! - m);
  }
  return num / den;
}
function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}
function isTick(p: number): boolean {
  return Math.abs(p * 100 - Math.round(p * 100)) < 1e-6;
}
function checkBar(b: Bar): string | undefined {
  const nums = [b.t, b.open, b.high, b.low, b.close, b.volume];
  if (!nums.every(Number.isFinite)) return "non-finite field";
  if (!(b.low > 0)) return "low <= 0";
  if (b.high < Math.max(b.open, b.close)) return "high < max(open, close)";
  if (b.low > Math.min(b.open, b.close)) return "low > min(open, close)";
  if (![b.open, b.high, b.low, b.close].every(isTick)) return "price off the cent tick";
  if (!Number.isInteger(b.volume) || b.volume < 0) return "volume not a non-negative integer";
  return undefined;
}
function stocks(d: DemoDataset) {
  return d.symbols.filter((s) => s.symbol !== BENCHMARK_SYMBOL);
}

// ---- tests ---------------------------------------------------------------------------

describe("generateDemoDataset: determinism", () => {
  it("is a pure function of its inputs (deep equality)", () => {
    const again = generateDemoDataset({ seed: 42, endDate: END, calendar: new NyseCalendar() });
    expect(again).toEqual(ds);
  });

  it("gives different data for a different seed, with the same universe and dates", () => {
    const other = generateDemoDataset({ seed: 43, endDate: END, calendar });
    expect(other.symbols).toEqual(ds.symbols);
    expect(other.startDate).toBe(ds.startDate);
    for (const s of ds.symbols) {
      const a = ds.daily.get(s.symbol)!.map((b) => b.close);
      const b = other.daily.get(s.symbol)!.map((b) => b.close);
      expect(a.length).toBe(b.length);
      expect(a).not.toEqual(b);
    }
    expect(other.note).toContain("seed 43");
  });

  it("keeps daily opens and closes when the minute window changes (continuous close-to-close)", () => {
    const noMinutes = generateDemoDataset({ seed: 42, endDate: END, calendar, minuteSessions: 0 });
    for (const s of ds.symbols) {
      expect(noMinutes.minute.get(s.symbol)).toEqual([]);
      const a = ds.daily.get(s.symbol)!;
      const b = noMinutes.daily.get(s.symbol)!;
      expect(b.slice(0, -5)).toEqual(a.slice(0, -5));
      expect(b.map((x) => [x.open, x.close, x.volume])).toEqual(a.map((x) => [x.open, x.close, x.volume]));
    }
  });
});

describe("generateDemoDataset: universe and metadata", () => {
  it("labels itself as synthetic", () => {
    expect(ds.generator).toBe("argus-demo-v1");
    expect(ds.seed).toBe(42);
    expect(ds.note).toMatch(/^SYNTHETIC demo data/);
    expect(ds.note).toContain("seed 42");
    expect(ds.note).toContain("not real market prices");
  });

  it("has ≥ 20 fictional .DEMO symbols, two per GICS sector, plus an Index benchmark", () => {
    expect(ds.symbols.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ds.symbols.map((s) => s.symbol)).size).toBe(ds.symbols.length);
    for (const s of ds.symbols) {
      expect(s.symbol).toMatch(DEMO_TICKER_PATTERN);
      expect(s.symbol).toMatch(/^[A-Z][A-Z0-9]{0,5}\.DEMO$/);
      expect(s.name.endsWith(" (synthetic)")).toBe(true);
      expect(s.exchange.length).toBeGreaterThan(0);
    }
    const sectors = new Set(stocks(ds).map((s) => s.sector));
    expect(sectors.size).toBeGreaterThanOrEqual(10);
    expect([...sectors].sort()).toEqual([...GICS_SECTORS].sort());
    for (const sector of GICS_SECTORS) expect(stocks(ds).filter((s) => s.sector === sector).length).toBe(2);
    const bench = ds.symbols.find((s) => s.symbol === BENCHMARK_SYMBOL);
    expect(bench?.sector).toBe("Index");
    expect([...ds.daily.keys()].sort()).toEqual(ds.symbols.map((s) => s.symbol).sort());
    expect([...ds.minute.keys()].sort()).toEqual(ds.symbols.map((s) => s.symbol).sort());
  });

  it("rejects bad options", () => {
    expect(() => generateDemoDataset({ seed: 1.5, endDate: END, calendar })).toThrow(RangeError);
    expect(() => generateDemoDataset({ seed: 1, endDate: "2026-13-01", calendar })).toThrow(RangeError);
    expect(() => generateDemoDataset({ seed: 1, endDate: END, years: 0, calendar })).toThrow(RangeError);
    expect(() => generateDemoDataset({ seed: 1, endDate: END, minuteSessions: -1, calendar })).toThrow(RangeError);
  });

  it("generates the default dataset fast", () => {
    // Budget is ~2 s on a slow 2-core machine; the bound here leaves room for CI noise.
    expect(generationMs).toBeLessThan(5_000);
  });
});

describe("generateDemoDataset: daily bars", () => {
  it("covers every NYSE trading day of ≥ 10 years, and nothing else", () => {
    expect(ds.endDate).toBe(END);
    expect(ds.startDate <= "2016-11-20").toBe(true);
    const days = calendar.tradingDays(ds.startDate, ds.endDate);
    expect(days[0]).toBe(ds.startDate);
    expect(days.length).toBeGreaterThan(2500);
    const starts = days.map((d) => calendar.startOfDay(d));
    for (const s of ds.symbols) {
      const bars = ds.daily.get(s.symbol)!;
      expect(bars.map((b) => b.t)).toEqual(starts);
    }
  });

  it("ends on the last trading day on or before endDate", () => {
    const weekend = generateDemoDataset({ seed: 42, endDate: "2026-11-22", years: 1, calendar, minuteSessions: 1 });
    expect(weekend.endDate).toBe("2026-11-20");
    expect(weekend.daily.get(BENCHMARK_SYMBOL)!.length).toBe(calendar.tradingDays(weekend.startDate, "2026-11-20").length);
  });

  it("satisfies OHLC invariants on every bar, with ticks and whole-share volumes", () => {
    const problems: string[] = [];
    for (const s of ds.symbols) {
      const bars = ds.daily.get(s.symbol)!;
      bars.forEach((b, i) => {
        const problem = checkBar(b) ?? (b.volume > 0 ? undefined : "zero volume");
        if (problem) problems.push(`${s.symbol} ${calendar.dateAt(b.t)}: ${problem} ${JSON.stringify(b)}`);
        // The open is the previous close times a plausible gap.
        const prev = bars[i - 1];
        if (prev && !(Math.abs(Math.log(b.open / prev.close)) < 0.4)) problems.push(`${s.symbol} ${calendar.dateAt(b.t)}: implausible gap`);
      });
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("keeps prices plausible: starting between $15 and $400 and never below $1", () => {
    for (const s of ds.symbols) {
      const bars = ds.daily.get(s.symbol)!;
      expect(bars[0]!.close).toBeGreaterThan(15);
      expect(bars[0]!.close).toBeLessThan(400);
      expect(Math.min(...bars.map((b) => b.low)), s.symbol).toBeGreaterThan(1);
      expect(Math.max(...bars.map((b) => b.high)), s.symbol).toBeLessThan(5_000);
      // The daily range is not degenerate: median log(high/low) between 0.3% and 8%.
      const ranges = bars.map((b) => Math.log(b.high / b.low)).sort((a, b) => a - b);
      const median = ranges[Math.floor(ranges.length / 2)]!;
      expect(median).toBeGreaterThan(0.003);
      expect(median).toBeLessThan(0.08);
    }
  });
});

describe("generateDemoDataset: minute bars", () => {
  function checkMinutes(d: DemoDataset, sessions: number) {
    const days = calendar.tradingDays(d.startDate, d.endDate).slice(-sessions);
    for (const s of d.symbols) {
      const minutes = d.minute.get(s.symbol)!;
      const daily = d.daily.get(s.symbol)!;
      let offset = 0;
      for (const [j, date] of days.entries()) {
        const session = calendar.session(date)!;
        const count = (session.close - session.open) / 60_000;
        const dayBars = minutes.slice(offset, offset + count);
        offset += count;
        expect(dayBars.length).toBe(count);
        dayBars.forEach((b, k) => {
          expect(b.t).toBe(session.open + k * 60_000);
          const problem = checkBar(b);
          if (problem) expect.fail(`${s.symbol} ${new Date(b.t).toISOString()}: ${problem}`);
        });
        expect(dayBars.at(-1)!.t).toBe(session.close - 60_000);
        // The daily bar is exactly the aggregate of its minutes.
        const dailyBar = daily[daily.length - sessions + j]!;
        expect(dailyBar.t).toBe(calendar.startOfDay(date));
        expect(dailyBar).toEqual({
          t: calendar.startOfDay(date),
          open: dayBars[0]!.open,
          high: Math.max(...dayBars.map((b) => b.high)),
          low: Math.min(...dayBars.map((b) => b.low)),
          close: dayBars.at(-1)!.close,
          volume: dayBars.reduce((a, b) => a + b.volume, 0),
        });
      }
      expect(offset).toBe(minutes.length);
    }
  }

  it("cover each of the last 5 sessions minute by minute and aggregate exactly to the daily bar", () => {
    checkMinutes(ds, 5);
    expect(ds.minute.get(BENCHMARK_SYMBOL)!.length).toBe(5 * 390);
  });

  it("stop at an early close (day after Thanksgiving) and skip the holiday", () => {
    const d = generateDemoDataset({ seed: 7, endDate: "2026-11-30", years: 1, calendar });
    checkMinutes(d, 5);
    const dates = new Set(d.minute.get("NOVA.DEMO")!.map((b) => calendar.dateAt(b.t)));
    expect([...dates]).toEqual(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27", "2026-11-30"]);
    const half = d.minute.get("NOVA.DEMO")!.filter((b) => calendar.dateAt(b.t) === "2026-11-27");
    expect(half.length).toBe(210); // 09:30–13:00
  });

  it("has U-shaped intraday volume", () => {
    let open = 0;
    let mid = 0;
    let close = 0;
    for (const s of ds.symbols) {
      const bars = ds.minute.get(s.symbol)!;
      for (let day = 0; day < 5; day++) {
        const dayBars = bars.slice(day * 390, (day + 1) * 390);
        const total = dayBars.reduce((a, b) => a + b.volume, 0);
        const share = (from: number, to: number) => dayBars.slice(from, to).reduce((a, b) => a + b.volume, 0) / total;
        open += share(0, 30);
        mid += share(150, 180);
        close += share(360, 390);
      }
    }
    expect(open).toBeGreaterThan(1.5 * mid);
    expect(close).toBeGreaterThan(1.5 * mid);
  });
});

describe("generateDemoDataset: statistical realism", () => {
  let returns: Map<string, number[]>;
  beforeAll(() => {
    returns = new Map(ds.symbols.map((s) => [s.symbol, logReturns(ds.daily.get(s.symbol)!)]));
  });

  it("has fat tails: excess kurtosis of daily log returns > 1 for most symbols", () => {
    const kurt = ds.symbols.map((s) => excessKurtosis(returns.get(s.symbol)!));
    const fat = kurt.filter((k) => k > 1).length;
    expect(fat).toBeGreaterThanOrEqual(Math.ceil(0.8 * ds.symbols.length));
    expect(mean(kurt)).toBeGreaterThan(2);
  });

  it("has volatility clustering: lag-1 autocorrelation of squared returns > 0.05 on average", () => {
    const acf = ds.symbols.map((s) => autocorrelation(returns.get(s.symbol)!.map((r) => r * r), 1));
    expect(mean(acf)).toBeGreaterThan(0.05);
    // ...and it is persistence, not a one-day echo: absolute returns stay correlated at lag 10.
    const acf10 = ds.symbols.map((s) => autocorrelation(returns.get(s.symbol)!.map(Math.abs), 10));
    expect(mean(acf10)).toBeGreaterThan(0.03);
  });

  it("correlates more within a sector than across sectors, and positively overall", () => {
    const names = stocks(ds);
    const within: number[] = [];
    const across: number[] = [];
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const c = correlation(returns.get(names[i]!.symbol)!, returns.get(names[j]!.symbol)!);
        (names[i]!.sector === names[j]!.sector ? within : across).push(c);
      }
    }
    expect(within.length).toBe(11);
    expect(mean(across)).toBeGreaterThan(0.1);
    expect(mean(within) - mean(across)).toBeGreaterThan(0.1);
  });

  it("moves with the benchmark (positive betas in a plausible range)", () => {
    const mkt = returns.get(BENCHMARK_SYMBOL)!;
    const vm = variance(mkt);
    for (const s of stocks(ds)) {
      const r = returns.get(s.symbol)!;
      const beta = (correlation(r, mkt) * Math.sqrt(variance(r) * vm)) / vm;
      expect(beta).toBeGreaterThan(0.2);
      expect(beta).toBeLessThan(2);
    }
  });

  it("has annualised volatility between 10% and 80%", () => {
    for (const s of ds.symbols) {
      const vol = Math.sqrt(variance(returns.get(s.symbol)!) * 252);
      expect(vol, s.symbol).toBeGreaterThan(0.1);
      expect(vol, s.symbol).toBeLessThan(0.8);
    }
  });

  it("trades more on big-move days", () => {
    let higher = 0;
    for (const s of stocks(ds)) {
      const bars = ds.daily.get(s.symbol)!;
      const r = returns.get(s.symbol)!;
      const days = r.map((x, i) => ({ move: Math.abs(x), volume: bars[i + 1]!.volume })).sort((a, b) => a.move - b.move);
      const calm = mean(days.slice(0, Math.floor(days.length / 2)).map((d) => d.volume));
      const wild = mean(days.slice(Math.floor(days.length * 0.9)).map((d) => d.volume));
      if (wild > 1.3 * calm) higher++;
    }
    expect(higher).toBe(stocks(ds).length);
  });
});
