import { describe, expect, it } from "vitest";
import {
  adx,
  AdxStream,
  atr,
  AtrStream,
  bollinger,
  BollingerStream,
  ema,
  EmaStream,
  macd,
  MacdStream,
  obv,
  ObvStream,
  roc,
  RocStream,
  rsi,
  RsiStream,
  sma,
  SmaStream,
  stochastic,
  StochasticStream,
  vwap,
  VwapStream,
} from "./index.js";
import { firstDifference, HAVE_DAILY, HAVE_MINUTE, loadDaily, loadMinute, PEER_SYMBOLS, SKIP_REASON, type Columns } from "./test-support.js";

/**
 * Batch and streaming forms must agree EXACTLY: every element compared with Object.is
 * (NaN positions equal, no tolerance). Parameter sets include period 1, periods longer than
 * the 1024-value recompute span of the running sums, and fast > slow for MACD.
 */

/** Runs a stream over n bars; collects each numeric output (or each key of an object output). */
function collect<T extends number | object>(n: number, step: (i: number) => T): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (let i = 0; i < n; i++) {
    const v = step(i);
    const entries: [string, number][] = typeof v === "number" ? [["value", v]] : (Object.entries(v) as [string, number][]);
    for (const [k, x] of entries) (out[k] ??= new Float64Array(n))[i] = x;
  }
  return out;
}

function expectIdentical(batch: Record<string, Float64Array> | Float64Array, streamed: Record<string, Float64Array>): void {
  const b = batch instanceof Float64Array ? { value: batch } : batch;
  expect(Object.keys(streamed).sort()).toEqual(Object.keys(b).sort());
  for (const [k, series] of Object.entries(b)) {
    expect({ output: k, firstDifference: firstDifference(series, streamed[k]!) }).toEqual({ output: k, firstDifference: null });
  }
}

function checkAll(c: Columns): void {
  const { n, high, low, close, volume } = c;
  for (const p of [1, 2, 20, 50, 1500]) {
    const s = new SmaStream(p);
    expectIdentical(sma(close, p), collect(n, (i) => s.next(close[i]!)));
    const vs = new SmaStream(p);
    expectIdentical(sma(volume, p), collect(n, (i) => vs.next(volume[i]!)));
  }
  for (const p of [1, 12, 50]) {
    const s = new EmaStream(p);
    expectIdentical(ema(close, p), collect(n, (i) => s.next(close[i]!)));
  }
  for (const p of [1, 2, 14, 30]) {
    const s = new RsiStream(p);
    expectIdentical(rsi(close, p), collect(n, (i) => s.next(close[i]!)));
  }
  for (const [f, sl, g] of [
    [12, 26, 9],
    [5, 35, 5],
    [26, 12, 9],
    [1, 1, 1],
  ] as const) {
    const s = new MacdStream(f, sl, g);
    expectIdentical({ ...macd(close, f, sl, g) }, collect(n, (i) => s.next(close[i]!)));
  }
  for (const [p, k] of [
    [20, 2],
    [5, 1],
    [1, 2],
    [1100, 2.5],
  ] as const) {
    const s = new BollingerStream(p, k);
    expectIdentical({ ...bollinger(close, p, k) }, collect(n, (i) => s.next(close[i]!)));
  }
  for (const p of [1, 14, 30]) {
    const s = new AtrStream(p);
    expectIdentical(atr(high, low, close, p), collect(n, (i) => s.next(high[i]!, low[i]!, close[i]!)));
  }
  {
    const s = new ObvStream();
    expectIdentical(obv(close, volume), collect(n, (i) => s.next(close[i]!, volume[i]!)));
  }
  for (const p of [1, 12, 100]) {
    const s = new RocStream(p);
    expectIdentical(roc(close, p), collect(n, (i) => s.next(close[i]!)));
  }
  for (const [k, d] of [
    [14, 3],
    [5, 1],
    [1, 3],
    [30, 10],
  ] as const) {
    const s = new StochasticStream(k, d);
    expectIdentical({ ...stochastic(high, low, close, k, d) }, collect(n, (i) => s.next(high[i]!, low[i]!, close[i]!)));
  }
  for (const p of [1, 2, 14, 30]) {
    const s = new AdxStream(p);
    expectIdentical({ ...adx(high, low, close, p) }, collect(n, (i) => s.next(high[i]!, low[i]!, close[i]!)));
  }
  // VWAP with weekly sessions (5 daily bars each).
  const session = new Int32Array(n).map((_, i) => Math.floor(i / 5));
  const s = new VwapStream();
  expectIdentical(vwap(high, low, close, volume, session), collect(n, (i) => s.next(high[i]!, low[i]!, close[i]!, volume[i]!, session[i]!)));
}

describe.skipIf(!HAVE_DAILY)(`batch equals streaming exactly on real daily bars (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    it(`${symbol}: all eleven indicators, several parameter sets`, () => checkAll(loadDaily(symbol)));
  }
});

describe.skipIf(!HAVE_MINUTE)(`batch equals streaming exactly on real minute bars (${SKIP_REASON})`, () => {
  for (const symbol of ["AAPL", "SPY", "AMZN"]) {
    it(`${symbol}: session VWAP (New York dates) and all the others`, () => {
      const c = loadMinute(symbol);
      const s = new VwapStream();
      expectIdentical(vwap(c.high, c.low, c.close, c.volume, c.session), collect(c.n, (i) => s.next(c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!, c.session[i]!)));
      checkAll(c);
    });
  }
});

describe("batch equals streaming exactly on adversarial synthetic data", () => {
  it("bad ticks, flat runs and zero-crossing values (exercises the exact-recompute triggers mid-ring)", () => {
    const n = 5000;
    const c: Columns = {
      symbol: "SYN",
      n,
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    };
    let x = 0;
    for (let i = 0; i < n; i++) {
      // A zero-mean walk (sums cross zero), flat stretches, and huge outliers.
      x = i % 700 < 50 ? x : x + Math.sin(i * 12.9898) * 0.7;
      let v = x;
      if (i % 997 === 0) v = 1e12;
      if (i % 1231 === 5) v = -3e9;
      c.close[i] = v;
      c.open[i] = v;
      c.high[i] = v + (i % 700 < 50 ? 0 : Math.abs(Math.cos(i)));
      c.low[i] = v - (i % 700 < 50 ? 0 : Math.abs(Math.sin(i * 3)));
      c.volume[i] = i % 11 === 0 ? 0 : 1000 + (i % 17) * 100;
    }
    checkAll(c);
  });
});
