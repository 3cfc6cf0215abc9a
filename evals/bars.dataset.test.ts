import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { CASES_DIR, loadCases, type EvalCase } from "./src/case.js";

/**
 * The price-based eval cases (indicators, signals, backtest) recomputed independently from the
 * real daily fixture CSVs: peer libraries (trading-signals for Wilder RSI and ATR,
 * technicalindicators for SMA-seeded EMA, MACD and Bollinger Bands) or plain arithmetic on the
 * `Close`/`High`/`Low` columns — never Argus's own code. Argus imports these files with `Close`
 * (split-adjusted, not dividend-adjusted) as the bar close, so every number here is computed
 * from `Close`, not `Adj Close`.
 */

const DAILY = resolve(import.meta.dirname, "..", "..", "shared", "fixtures", "bars", "daily");
const HAVE_DAILY = existsSync(join(DAILY, "AAPL.csv"));
const FILES = ["indicators.jsonl", "signals.jsonl", "backtest.jsonl"] as const;

interface Series {
  date: string[];
  high: number[];
  low: number[];
  close: number[];
}

const cache = new Map<string, Series>();
function series(ticker: string): Series {
  let s = cache.get(ticker);
  if (s) return s;
  const rows = parse(readFileSync(join(DAILY, `${ticker}.csv`), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const num = (r: Record<string, string>, k: string) => {
    const v = Number(r[k]);
    if (!Number.isFinite(v)) throw new Error(`${ticker} ${r.Date}: ${k} is not a number`);
    return v;
  };
  s = { date: rows.map((r) => r.Date!), high: rows.map((r) => num(r, "High")), low: rows.map((r) => num(r, "Low")), close: rows.map((r) => num(r, "Close")) };
  cache.set(ticker, s);
  return s;
}

function indexOf(s: Series, date: string): number {
  const i = s.date.indexOf(date);
  if (i < 0) throw new Error(`no bar on ${date}`);
  return i;
}

const last = <T>(xs: T[]): T => {
  if (xs.length === 0) throw new Error("empty peer output");
  return xs[xs.length - 1]!;
};

// Every indicator runs over the whole history up to and including bar i (warm-up seeded at 2000).
const closeAt = (s: Series, i: number) => s.close[i]!;
const smaAt = (s: Series, i: number, p: number) => s.close.slice(i - p + 1, i + 1).reduce((a, b) => a + b, 0) / p;
const emaAt = (s: Series, i: number, p: number) => last(ti.EMA.calculate({ period: p, values: s.close.slice(0, i + 1) }));
function rsiAt(s: Series, i: number, p: number): number {
  const r = new ts.RSI(p);
  let v: number | null = null;
  for (let k = 0; k <= i; k++) v = r.add(s.close[k]!);
  if (v === null) throw new Error("rsi warm-up");
  return Number(v);
}
function atrAt(s: Series, i: number, p: number): number {
  const a = new ts.ATR(p);
  let v: number | null = null;
  for (let k = 0; k <= i; k++) v = a.add({ high: s.high[k]!, low: s.low[k]!, close: s.close[k]! });
  if (v === null) throw new Error("atr warm-up");
  return Number(v);
}
const macdAt = (s: Series, i: number) =>
  last(ti.MACD.calculate({ values: s.close.slice(0, i + 1), fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }));
const bollingerAt = (s: Series, i: number) => last(ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: s.close.slice(0, i + 1) }));
/** Percent change of the close from bar j to bar i. */
const pctChange = (s: Series, j: number, i: number) => 100 * (s.close[i]! / s.close[j]! - 1);

interface Recompute {
  ticker: string;
  /** The last bar the number may use; it must be the last bar strictly before the case's asOf day. */
  date: string;
  value: (s: Series, i: number) => number;
}

const signal = (ticker: string, date: string): Record<string, Recompute> => ({
  close: { ticker, date, value: closeAt },
  rsi14: { ticker, date, value: (s, i) => rsiAt(s, i, 14) },
});

/** Benchmark buy-and-hold (docs/BACKTESTING.md): close on the last session / close on the first session of the window − 1, as a fraction. */
const buyAndHold = (ticker: string, start: string, end: string): Recompute => ({ ticker, date: end, value: (s, i) => s.close[i]! / s.close[indexOf(s, start)]! - 1 });

/** caseId → expected number id → how to recompute it. */
const RECOMPUTE: Record<string, Record<string, Recompute>> = {
  "ind-aapl-rsi14-2019-06-28": { rsi14: { ticker: "AAPL", date: "2019-06-28", value: (s, i) => rsiAt(s, i, 14) } },
  "ind-msft-sma50-sma200-2020-03-31": {
    sma50: { ticker: "MSFT", date: "2020-03-31", value: (s, i) => smaAt(s, i, 50) },
    sma200: { ticker: "MSFT", date: "2020-03-31", value: (s, i) => smaAt(s, i, 200) },
  },
  "ind-jpm-macd-2018-12-31": {
    macd: { ticker: "JPM", date: "2018-12-31", value: (s, i) => macdAt(s, i).MACD! },
    macd_signal: { ticker: "JPM", date: "2018-12-31", value: (s, i) => macdAt(s, i).signal! },
    macd_histogram: { ticker: "JPM", date: "2018-12-31", value: (s, i) => macdAt(s, i).histogram! },
  },
  "ind-xom-bollinger-2020-06-30": {
    bb_upper: { ticker: "XOM", date: "2020-06-30", value: (s, i) => bollingerAt(s, i).upper },
    bb_middle: { ticker: "XOM", date: "2020-06-30", value: (s, i) => bollingerAt(s, i).middle },
    bb_lower: { ticker: "XOM", date: "2020-06-30", value: (s, i) => bollingerAt(s, i).lower },
  },
  "ind-nvda-atr14-2020-09-30": { atr14: { ticker: "NVDA", date: "2020-09-30", value: (s, i) => atrAt(s, i, 14) } },
  "ind-ko-ema20-2017-12-29": { ema20: { ticker: "KO", date: "2017-12-29", value: (s, i) => emaAt(s, i, 20) } },
  "ind-intc-rsi14-2020-07-24": {
    rsi14: { ticker: "INTC", date: "2020-07-24", value: (s, i) => rsiAt(s, i, 14) },
    rsi14_prev: { ticker: "INTC", date: "2020-07-24", value: (s, i) => rsiAt(s, i - 1, 14) },
  },
  "ind-aapl-latest-close-2020-12-11": { last_close: { ticker: "AAPL", date: "2020-12-11", value: closeAt } },
  "ind-amzn-52w-high-low-2020-03-20": {
    high_52w: { ticker: "AMZN", date: "2020-03-20", value: (s, i) => Math.max(...s.high.slice(indexOf(s, "2019-03-21"), i + 1)) },
    low_52w: { ticker: "AMZN", date: "2020-03-20", value: (s, i) => Math.min(...s.low.slice(indexOf(s, "2019-03-21"), i + 1)) },
    last_close: { ticker: "AMZN", date: "2020-03-20", value: closeAt },
  },
  "ind-msft-return-2019": {
    close_start: { ticker: "MSFT", date: "2019-12-31", value: (s) => s.close[indexOf(s, "2018-12-31")]! },
    close_end: { ticker: "MSFT", date: "2019-12-31", value: closeAt },
    return_pct: { ticker: "MSFT", date: "2019-12-31", value: (s, i) => pctChange(s, indexOf(s, "2018-12-31"), i) },
  },
  "ind-jnj-return-covid-crash": {
    close_start: { ticker: "JNJ", date: "2020-03-23", value: (s) => s.close[indexOf(s, "2020-02-19")]! },
    close_end: { ticker: "JNJ", date: "2020-03-23", value: closeAt },
    return_pct: { ticker: "JNJ", date: "2020-03-23", value: (s, i) => pctChange(s, indexOf(s, "2020-02-19"), i) },
  },
  "ind-ba-rsi14-atr14-2020-03-18": {
    rsi14: { ticker: "BA", date: "2020-03-18", value: (s, i) => rsiAt(s, i, 14) },
    atr14: { ticker: "BA", date: "2020-03-18", value: (s, i) => atrAt(s, i, 14) },
    last_close: { ticker: "BA", date: "2020-03-18", value: closeAt },
  },
  "sig-aapl-2019-07-01": signal("AAPL", "2019-06-28"),
  "sig-jpm-panic-2020-03-24": signal("JPM", "2020-03-23"),
  "sig-xom-2020-06-09": signal("XOM", "2020-06-08"),
  "sig-msft-no-model-2017-12-01": signal("MSFT", "2017-11-30"),
  "sig-nvda-2018-11-20": signal("NVDA", "2018-11-19"),
  "sig-ko-2019-10-01": signal("KO", "2019-09-30"),
  "bt-sma-trend-five-2017-2019": { benchmark_return: buyAndHold("MSFT", "2017-01-03", "2019-12-31") },
  "bt-aapl-rsi2-2010-2014": { benchmark_return: buyAndHold("AAPL", "2010-01-04", "2014-12-31") },
  "bt-energy-sma-cross-2015-2019": { benchmark_return: buyAndHold("XOM", "2015-01-02", "2019-12-31") },
  "bt-banks-sma200-2007-2009": { benchmark_return: buyAndHold("JPM", "2007-01-03", "2009-12-31") },
};

function ownCases(): EvalCase[] {
  const ids = new Set<string>();
  for (const f of FILES) {
    for (const line of readFileSync(join(CASES_DIR, f), "utf8").split("\n")) {
      if (line.trim() !== "") ids.add((JSON.parse(line) as { id: string }).id);
    }
  }
  const all = loadCases();
  const mine = all.filter((c) => ids.has(c.id));
  expect(mine.map((c) => c.id).sort()).toEqual([...ids].sort());
  return mine;
}

describe("indicator, signal and backtest eval cases: shape", () => {
  const cases = ownCases();

  it("loadCases() parses every case of the three files, with the expected counts", () => {
    const count = (cat: (c: EvalCase) => boolean) => cases.filter(cat).length;
    expect(count((c) => c.category === "indicators")).toBeGreaterThanOrEqual(10);
    expect(count((c) => c.category === "signals" || c.category === "explanations")).toBeGreaterThanOrEqual(6);
    expect(count((c) => c.category === "backtest")).toBeGreaterThanOrEqual(4);
  });

  it("every case forbids propose_order, uses its required tools in the script, and captures every expected number the answer states", () => {
    for (const c of cases) {
      expect(c.tools.forbidden, c.id).toContain("propose_order");
      const used = new Set(c.scripted.steps.map((s) => s.tool));
      for (const t of c.tools.required) expect(used.has(t), `${c.id} scripted plan uses ${t}`).toBe(true);
      const captures = new Set(c.scripted.steps.flatMap((s) => Object.keys(s.capture)));
      for (const n of c.expected.numbers) {
        expect(captures.has(n.id), `${c.id}: capture ${n.id}`).toBe(true);
        expect(c.scripted.answer, `${c.id}: answer states {${n.id}}`).toContain(`{${n.id}}`);
      }
      for (const r of c.rubric) if (r.pattern !== undefined) expect(() => new RegExp(r.pattern!, "i"), `${c.id}/${r.id}`).not.toThrow();
      expect(c.expected.approval).toEqual(["no_proposal"]);
      expect(c.expected.endState.orders).toBe(0);
    }
  });

  it("every expected number has an independent recomputation, and nothing is recomputed for a number that is not there", () => {
    for (const c of cases) {
      const spec = RECOMPUTE[c.id] ?? {};
      expect(Object.keys(spec).sort(), c.id).toEqual(c.expected.numbers.map((n) => n.id).sort());
    }
    expect(Object.keys(RECOMPUTE).sort()).toEqual(cases.filter((c) => c.expected.numbers.length > 0).map((c) => c.id).sort());
  });
});

describe.skipIf(!HAVE_DAILY)(`indicator, signal and backtest eval cases: numbers recomputed from ${DAILY} (skipped when ../shared/fixtures is absent)`, () => {
  const cases = ownCases();
  for (const c of cases) {
    for (const n of c.expected.numbers) {
      it(`${c.id} ${n.id} = ${n.value} ${n.unit}`, () => {
        const spec = RECOMPUTE[c.id]![n.id]!;
        const s = series(spec.ticker);
        const i = indexOf(s, spec.date);
        // Pinned clock: the bar used is the last completed session before the asOf morning.
        const asOfDay = c.asOf.slice(0, 10);
        expect(spec.date < asOfDay, `${c.id}: ${spec.date} before ${asOfDay}`).toBe(true);
        if (i + 1 < s.date.length) expect(s.date[i + 1]! >= asOfDay, `${c.id}: no later bar before ${asOfDay}`).toBe(true);
        expect(n.source).toContain(`${spec.ticker}.csv`);
        const v = spec.value(s, i);
        expect(Number.isFinite(v)).toBe(true);
        const err = Math.abs(v - n.value);
        const okAbs = n.tolerance.abs !== undefined && err <= n.tolerance.abs;
        const okRel = n.tolerance.rel !== undefined && err <= n.tolerance.rel * Math.abs(v);
        expect(okAbs || okRel, `${c.id}/${n.id}: recomputed ${v}, case says ${n.value} (tolerance ${JSON.stringify(n.tolerance)})`).toBe(true);
      });
    }
  }
});
