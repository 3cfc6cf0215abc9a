/**
 * What the indicator benchmark runs: for each of the eleven indicators, the Argus batch
 * function and the same indicator in each peer library, called through the peer's own
 * fastest whole-series API:
 *  - technicalindicators: `X.calculate({...})` (its batch API);
 *  - trading-signals: a loop of `add()` writing each result into a preallocated array (it
 *    has no batch API; `updates()` is `inputs.map(add)`, which measured the same or slower);
 *  - indicatorts: its array functions.
 * Every implementation produces the whole output series; inputs are prepared in each
 * library's own format before timing (typed arrays, number[] or candle objects).
 */
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import * as it from "indicatorts";
import * as argus from "../../src/analysis/indicators/index.js";
import type { IndicatorName } from "../../src/analysis/indicators/index.js";
import type { BenchBars } from "./data.js";

export type Peer = "technicalindicators" | "trading-signals" | "indicatorts";
export const PEERS: readonly Peer[] = ["technicalindicators", "trading-signals", "indicatorts"];

export interface BenchCase {
  name: IndicatorName;
  params: string;
  argus: (b: BenchBars) => unknown;
  peers: Partial<Record<Peer, (b: BenchBars) => unknown>>;
  /** Where a peer computes something different (warm-up aside), said in the report. */
  note?: string;
}

type Candle = BenchBars["candles"][number];

/** trading-signals: one `add()` per input, numeric results into a Float64Array (null → NaN). */
function tsNumbers<T>(ind: { add(x: T): number | null }, inputs: T[]): Float64Array {
  const out = new Float64Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = ind.add(inputs[i]!) ?? NaN;
  return out;
}

/** trading-signals: one `add()` per input, object results into an array. */
function tsObjects<T, R>(ind: { add(x: T): R | null }, inputs: T[]): (R | null)[] {
  const out = new Array<R | null>(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = ind.add(inputs[i]!);
  return out;
}

export const CASES: BenchCase[] = [
  {
    name: "sma",
    params: "period 20",
    argus: (b) => argus.sma(b.close, 20),
    peers: {
      technicalindicators: (b) => ti.SMA.calculate({ period: 20, values: b.arrays.close }),
      "trading-signals": (b) => tsNumbers(new ts.SMA(20), b.arrays.close),
      indicatorts: (b) => it.sma(b.arrays.close, { period: 20 }),
    },
  },
  {
    name: "ema",
    params: "period 20",
    argus: (b) => argus.ema(b.close, 20),
    peers: {
      technicalindicators: (b) => ti.EMA.calculate({ period: 20, values: b.arrays.close }),
      "trading-signals": (b) => tsNumbers(new ts.EMA(20), b.arrays.close),
      indicatorts: (b) => it.ema(b.arrays.close, { period: 20 }),
    },
  },
  {
    name: "rsi",
    params: "period 14",
    argus: (b) => argus.rsi(b.close, 14),
    peers: {
      technicalindicators: (b) => ti.RSI.calculate({ period: 14, values: b.arrays.close }),
      "trading-signals": (b) => tsNumbers(new ts.RSI(14), b.arrays.close),
      indicatorts: (b) => it.rsi(b.arrays.close, { period: 14 }),
    },
  },
  {
    name: "macd",
    params: "12/26/9",
    argus: (b) => argus.macd(b.close, 12, 26, 9),
    peers: {
      technicalindicators: (b) =>
        ti.MACD.calculate({ values: b.arrays.close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
      "trading-signals": (b) => tsObjects(new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9)), b.arrays.close),
      indicatorts: (b) => it.macd(b.arrays.close, { fast: 12, slow: 26, signal: 9 }),
    },
    note: "indicatorts returns the MACD and signal lines only (no histogram).",
  },
  {
    name: "bollinger",
    params: "period 20, k 2",
    argus: (b) => argus.bollinger(b.close, 20, 2),
    peers: {
      technicalindicators: (b) => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: b.arrays.close }),
      "trading-signals": (b) => tsObjects(new ts.BollingerBands(20, 2), b.arrays.close),
      indicatorts: (b) => it.bb(b.arrays.close, { period: 20 }),
    },
    note: "Argus also returns %B and bandwidth; technicalindicators returns %B; trading-signals and indicatorts return the three bands only.",
  },
  {
    name: "atr",
    params: "period 14",
    argus: (b) => argus.atr(b.high, b.low, b.close, 14),
    peers: {
      technicalindicators: (b) => ti.ATR.calculate({ period: 14, high: b.arrays.high, low: b.arrays.low, close: b.arrays.close }),
      "trading-signals": (b) => tsNumbers(new ts.ATR(14), b.candles),
      indicatorts: (b) => it.atr(b.arrays.high, b.arrays.low, b.arrays.close, { period: 14 }),
    },
    note: "indicatorts' atr is a simple moving average of the true range, not Wilder's smoothing.",
  },
  {
    name: "vwap",
    params: "390-bar sessions",
    argus: (b) => argus.vwap(b.high, b.low, b.close, b.volume, b.session),
    peers: {
      technicalindicators: (b) => ti.VWAP.calculate({ high: b.arrays.high, low: b.arrays.low, close: b.arrays.close, volume: b.arrays.volume }),
      "trading-signals": (b) => tsNumbers(new ts.VWAP(), b.candles),
      indicatorts: (b) => it.vwap(b.arrays.close, b.arrays.volume, { period: 390 }),
    },
    note: "Only Argus resets at session boundaries: technicalindicators and trading-signals accumulate from the first bar; indicatorts' vwap is a rolling 390-bar close-weighted average.",
  },
  {
    name: "obv",
    params: "-",
    argus: (b) => argus.obv(b.close, b.volume),
    peers: {
      technicalindicators: (b) => ti.OBV.calculate({ close: b.arrays.close, volume: b.arrays.volume }),
      "trading-signals": (b) => tsNumbers(new ts.OBV(2), b.candles),
      indicatorts: (b) => it.obv(b.arrays.close, b.arrays.volume),
    },
  },
  {
    name: "roc",
    params: "period 12",
    argus: (b) => argus.roc(b.close, 12),
    peers: {
      technicalindicators: (b) => ti.ROC.calculate({ period: 12, values: b.arrays.close }),
      "trading-signals": (b) => tsNumbers(new ts.ROC(12), b.arrays.close),
      indicatorts: (b) => it.roc(b.arrays.close, { period: 12 }),
    },
  },
  {
    name: "stochastic",
    params: "14/3",
    argus: (b) => argus.stochastic(b.high, b.low, b.close, 14, 3),
    peers: {
      technicalindicators: (b) =>
        ti.Stochastic.calculate({ period: 14, signalPeriod: 3, high: b.arrays.high, low: b.arrays.low, close: b.arrays.close }),
      "trading-signals": (b) => tsObjects(new ts.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 1, dPeriod: 3 }), b.candles),
      indicatorts: (b) => it.stoch(b.arrays.high, b.arrays.low, b.arrays.close, { kPeriod: 14, dPeriod: 3 }),
    },
  },
  {
    name: "adx",
    params: "period 14",
    argus: (b) => argus.adx(b.high, b.low, b.close, 14),
    peers: {
      technicalindicators: (b) => ti.ADX.calculate({ period: 14, high: b.arrays.high, low: b.arrays.low, close: b.arrays.close }),
      "trading-signals": (b) => {
        // ADX exposes +DI/−DI as properties; read them so all three outputs are produced.
        const ind = new ts.ADX(14);
        const n = b.candles.length;
        const adxOut = new Float64Array(n);
        const pdi = new Float64Array(n);
        const mdi = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          adxOut[i] = ind.add(b.candles[i]!) ?? NaN;
          pdi[i] = ind.pdi ?? NaN;
          mdi[i] = ind.mdi ?? NaN;
        }
        return [adxOut, pdi, mdi];
      },
    },
    note: "indicatorts has no ADX.",
  },
];

/** Argus streaming: all eleven indicators per bar, results folded into a checksum. */
export function argusStreamAll(b: BenchBars): number {
  const sma = new argus.SmaStream(20);
  const ema = new argus.EmaStream(20);
  const rsi = new argus.RsiStream(14);
  const macd = new argus.MacdStream(12, 26, 9);
  const bb = new argus.BollingerStream(20, 2);
  const atr = new argus.AtrStream(14);
  const vwap = new argus.VwapStream();
  const obv = new argus.ObvStream();
  const roc = new argus.RocStream(12);
  const st = new argus.StochasticStream(14, 3);
  const adx = new argus.AdxStream(14);
  const { high, low, close, volume, session } = b;
  let acc = 0;
  for (let i = 0; i < b.n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    acc += sma.next(c) + ema.next(c) + rsi.next(c) + macd.next(c).histogram + bb.next(c).percentB + atr.next(h, l, c);
    acc += vwap.next(h, l, c, v, session[i]!) + obv.next(c, v) + roc.next(c) + st.next(h, l, c).d + adx.next(h, l, c).adx;
  }
  return acc;
}

/** trading-signals streaming (its native mode): the same eleven indicators per bar. */
export function tradingSignalsStreamAll(b: BenchBars): number {
  const sma = new ts.SMA(20);
  const ema = new ts.EMA(20);
  const rsi = new ts.RSI(14);
  const macd = new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9));
  const bb = new ts.BollingerBands(20, 2);
  const atr = new ts.ATR(14);
  const vwap = new ts.VWAP();
  const obv = new ts.OBV(2);
  const roc = new ts.ROC(12);
  const st = new ts.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 1, dPeriod: 3 });
  const adx = new ts.ADX(14);
  let acc = 0;
  for (let i = 0; i < b.n; i++) {
    const candle: Candle = b.candles[i]!;
    const c = candle.close;
    acc += (sma.add(c) ?? 0) + (ema.add(c) ?? 0) + (rsi.add(c) ?? 0) + (macd.add(c)?.histogram ?? 0) + (bb.add(c)?.upper ?? 0);
    acc += (atr.add(candle) ?? 0) + (vwap.add(candle) ?? 0) + (obv.add(candle) ?? 0) + (roc.add(c) ?? 0);
    acc += (st.add(candle)?.stochD ?? 0) + (adx.add(candle) ?? 0);
  }
  return acc;
}

interface TiStream {
  nextValue(x: unknown): unknown;
}

/** technicalindicators streaming (`nextValue`): the same eleven indicators per bar. */
export function technicalIndicatorsStreamAll(b: BenchBars): number {
  const hlc = { high: [] as number[], low: [] as number[], close: [] as number[] };
  const mk = (s: unknown): TiStream => s as TiStream;
  const sma = mk(new ti.SMA({ period: 20, values: [] }));
  const ema = mk(new ti.EMA({ period: 20, values: [] }));
  const rsi = mk(new ti.RSI({ period: 14, values: [] }));
  const macd = mk(new ti.MACD({ values: [], fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }));
  const bb = mk(new ti.BollingerBands({ period: 20, stdDev: 2, values: [] }));
  const atr = mk(new ti.ATR({ period: 14, ...hlc }));
  const vwap = mk(new ti.VWAP({ ...hlc, volume: [] }));
  const obv = mk(new ti.OBV({ close: [], volume: [] }));
  const roc = mk(new ti.ROC({ period: 12, values: [] }));
  const st = mk(new ti.Stochastic({ period: 14, signalPeriod: 3, ...hlc }));
  const adx = mk(new ti.ADX({ period: 14, ...hlc }));
  let acc = 0;
  const num = (x: unknown): number => (typeof x === "number" ? x : 0);
  for (let i = 0; i < b.n; i++) {
    const candle = b.candles[i]!;
    const c = candle.close;
    acc += num(sma.nextValue(c)) + num(ema.nextValue(c)) + num(rsi.nextValue(c)) + num((macd.nextValue(c) as { histogram?: number } | undefined)?.histogram);
    acc += num((bb.nextValue(c) as { upper?: number } | undefined)?.upper) + num(atr.nextValue(candle)) + num(vwap.nextValue(candle));
    acc += num(obv.nextValue(candle)) + num(roc.nextValue(c)) + num((st.nextValue(candle) as { d?: number } | undefined)?.d);
    acc += num((adx.nextValue(candle) as { adx?: number } | undefined)?.adx);
  }
  return acc;
}
