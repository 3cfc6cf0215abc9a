import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import {
  adx,
  AdxStream,
  atr,
  AtrStream,
  bollinger,
  BollingerStream,
  ema,
  EmaStream,
  INDICATOR_OUTPUT_WARMUP,
  INDICATOR_WARMUP,
  macd,
  MacdStream,
  MAX_PERIOD,
  obv,
  roc,
  RocStream,
  rsi,
  RsiStream,
  sma,
  SmaStream,
  stochastic,
  StochasticStream,
  validatePeriod,
  validatePositive,
  vwap,
} from "./index.js";
import { firstDefined, HAVE_DAILY, loadDaily, SKIP_REASON } from "./test-support.js";

function thrown(fn: () => unknown): ArgusError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgusError);
    return e as ArgusError;
  }
  throw new Error("expected an ArgusError");
}

const x = new Float64Array([1, 2, 3, 4, 5]);
const BAD_PERIODS = [0, -1, 1.5, NaN, Infinity, MAX_PERIOD + 1];

/** Every place that takes a period, as (label, call with that period). */
const PERIOD_TAKERS: [string, (p: number) => unknown][] = [
  ["sma", (p) => sma(x, p)],
  ["SmaStream", (p) => new SmaStream(p)],
  ["ema", (p) => ema(x, p)],
  ["EmaStream", (p) => new EmaStream(p)],
  ["rsi", (p) => rsi(x, p)],
  ["RsiStream", (p) => new RsiStream(p)],
  ["macd fast", (p) => macd(x, p, 26, 9)],
  ["macd slow", (p) => macd(x, 12, p, 9)],
  ["macd signal", (p) => macd(x, 12, 26, p)],
  ["MacdStream slow", (p) => new MacdStream(12, p, 9)],
  ["bollinger", (p) => bollinger(x, p, 2)],
  ["BollingerStream", (p) => new BollingerStream(p, 2)],
  ["atr", (p) => atr(x, x, x, p)],
  ["AtrStream", (p) => new AtrStream(p)],
  ["roc", (p) => roc(x, p)],
  ["RocStream", (p) => new RocStream(p)],
  ["stochastic %K", (p) => stochastic(x, x, x, p, 3)],
  ["stochastic %D", (p) => stochastic(x, x, x, 14, p)],
  ["StochasticStream %D", (p) => new StochasticStream(14, p)],
  ["adx", (p) => adx(x, x, x, p)],
  ["AdxStream", (p) => new AdxStream(p)],
];

describe("invalid parameters throw ArgusError INVALID_INPUT with an actionable message", () => {
  for (const [label, call] of PERIOD_TAKERS) {
    it(`${label}: periods 0, -1, 1.5, NaN, Infinity and ${MAX_PERIOD + 1}`, () => {
      for (const p of BAD_PERIODS) {
        const e = thrown(() => call(p));
        expect(e.code).toBe("INVALID_INPUT");
        expect(e.message).toContain(String(p));
        expect(e.message).toMatch(/whole number of bars/);
      }
    });
  }

  it("bollinger k must be a finite number > 0 (batch and stream)", () => {
    for (const k of [0, -1, NaN, Infinity]) {
      for (const call of [() => bollinger(x, 20, k), () => new BollingerStream(20, k)]) {
        const e = thrown(call);
        expect(e.code).toBe("INVALID_INPUT");
        expect(e.message).toMatch(/bollinger k/);
      }
    }
    expect(() => bollinger(x, 2, 0.5)).not.toThrow();
  });

  it("validatePeriod names the parameter and accepts whole numbers from 1 to MAX_PERIOD", () => {
    expect(() => validatePeriod("rsi period", 1)).not.toThrow();
    expect(() => validatePeriod("rsi period", MAX_PERIOD)).not.toThrow();
    const e = thrown(() => validatePeriod("rsi period", 1.5));
    expect(e.message).toBe(`Invalid rsi period: 1.5. A period must be a whole number of bars from 1 to ${MAX_PERIOD.toLocaleString("en-US")} (for example 14).`);
    expect(e.details).toMatchObject({ parameter: "rsi period", received: "1.5" });
    expect(thrown(() => validatePositive("k", -2)).code).toBe("INVALID_INPUT");
  });

  it("inputs of different lengths are rejected, naming the lengths", () => {
    const short = new Float64Array(4);
    const calls: (() => unknown)[] = [
      () => atr(x, x, short),
      () => adx(x, short, x),
      () => stochastic(short, x, x),
      () => obv(x, short),
      () => vwap(x, x, x, x, new Int32Array(4)),
    ];
    for (const call of calls) {
      const e = thrown(call);
      expect(e.code).toBe("INVALID_INPUT");
      expect(e.message).toMatch(/same length/);
      expect(e.message).toContain("5");
      expect(e.message).toContain("4");
    }
  });
});

/** Every batch indicator as (name, outputs, warm-up per output) for given params on columns. */
function allOutputs(h: Float64Array, l: Float64Array, c: Float64Array, v: Float64Array): [string, Record<string, Float64Array>, Record<string, number>][] {
  const session = new Int32Array(c.length);
  return [
    ["sma(20)", { value: sma(c, 20) }, { value: INDICATOR_WARMUP.sma(20) }],
    ["ema(20)", { value: ema(c, 20) }, { value: INDICATOR_WARMUP.ema(20) }],
    ["rsi(14)", { value: rsi(c) }, { value: INDICATOR_WARMUP.rsi() }],
    ["macd(12,26,9)", { ...macd(c) }, INDICATOR_OUTPUT_WARMUP.macd()],
    ["macd(26,12,5)", { ...macd(c, 26, 12, 5) }, INDICATOR_OUTPUT_WARMUP.macd(26, 12, 5)],
    ["bollinger(20,2)", { ...bollinger(c) }, INDICATOR_OUTPUT_WARMUP.bollinger()],
    ["atr(14)", { value: atr(h, l, c) }, { value: INDICATOR_WARMUP.atr() }],
    ["vwap", { value: vwap(h, l, c, v, session) }, { value: INDICATOR_WARMUP.vwap() }],
    ["obv", { value: obv(c, v) }, { value: INDICATOR_WARMUP.obv() }],
    ["roc(12)", { value: roc(c) }, { value: INDICATOR_WARMUP.roc() }],
    ["stochastic(14,3)", { ...stochastic(h, l, c) }, INDICATOR_OUTPUT_WARMUP.stochastic()],
    ["adx(14)", { ...adx(h, l, c) }, INDICATOR_OUTPUT_WARMUP.adx()],
  ];
}

describe("too-short input gives all-NaN output of the same length, never a throw", () => {
  for (const n of [0, 1, 5, 13]) {
    it(`${n} bars`, () => {
      const col = new Float64Array(n).map((_, i) => 100 + i);
      const vol = new Float64Array(n).fill(1000);
      for (const [name, outputs, warm] of allOutputs(col, col, col, vol)) {
        for (const [k, series] of Object.entries(outputs)) {
          expect(series, `${name}.${k}`).toHaveLength(n);
          if (n <= warm[k]!) expect(series.every(Number.isNaN), `${name}.${k} with ${n} bars`).toBe(true);
        }
      }
    });
  }

  it("exactly warm-up + 1 bars gives one value, in the last slot", () => {
    const checks: [string, (n: number) => Float64Array, number][] = [
      ["sma(20)", (n) => sma(new Float64Array(n).fill(3), 20), INDICATOR_WARMUP.sma(20)],
      ["rsi(14)", (n) => rsi(new Float64Array(n).map((_, i) => i % 3), 14), INDICATOR_WARMUP.rsi(14)],
      ["macd signal", (n) => macd(new Float64Array(n).map((_, i) => i), 12, 26, 9).signal, INDICATOR_WARMUP.macd(12, 26, 9)],
      ["adx(14)", (n) => adx(new Float64Array(n).map((_, i) => i + 1), new Float64Array(n).map((_, i) => i), new Float64Array(n).map((_, i) => i + 0.5), 14).adx, INDICATOR_WARMUP.adx(14)],
      ["stochastic %D", (n) => stochastic(new Float64Array(n).map((_, i) => i + 1), new Float64Array(n), new Float64Array(n).fill(1), 14, 3).d, INDICATOR_WARMUP.stochastic(14, 3)],
    ];
    for (const [name, run, w] of checks) {
      const out = run(w + 1);
      expect(firstDefined(out), name).toBe(w);
      expect(run(w).every(Number.isNaN), name).toBe(true);
    }
  });
});

describe.skipIf(!HAVE_DAILY)(`INDICATOR_WARMUP is the first non-NaN index on real data (${SKIP_REASON})`, () => {
  it("every output of every indicator, AAPL daily", () => {
    const c = loadDaily("AAPL");
    for (const [name, outputs, warm] of allOutputs(c.high, c.low, c.close, c.volume)) {
      for (const [k, series] of Object.entries(outputs)) {
        expect({ output: `${name}.${k}`, first: firstDefined(series) }).toEqual({ output: `${name}.${k}`, first: warm[k] });
        // and nothing is NaN after warm-up on real data
        expect(series.subarray(warm[k]!).some(Number.isNaN), `${name}.${k}`).toBe(false);
      }
    }
  });

  it("the single-number warm-ups are the last output to start", () => {
    expect(INDICATOR_WARMUP.macd()).toBe(33);
    expect(INDICATOR_WARMUP.stochastic()).toBe(15);
    expect(INDICATOR_WARMUP.adx()).toBe(27);
    expect(INDICATOR_WARMUP.atr(14)).toBe(13);
    expect(INDICATOR_WARMUP.rsi(14)).toBe(14);
  });
});
