/**
 * Model features from daily OHLCV bars. Every feature is scale-free (a ratio, a
 * return, a bounded oscillator) so one model can pool many symbols, and every feature at
 * bar i is computed from bars 0..i only — the value is known at the close of bar i and
 * never changes when later bars arrive (tested).
 *
 * Row i is `valid` when all its features are finite; the first ~252 rows are warm-up
 * (the drawdown needs a 252-session high, close/SMA200 needs 200 closes).
 */
import { ArgusError } from "../core/errors.js";
import { adx, atr, bollinger, macd, roc, rsi, sma, stochastic } from "./indicators/index.js";
import { toColumns as barsToColumns } from "./series.js";

/** Bump when a feature's definition changes: a model is only valid for the version it was trained on. */
export const FEATURE_VERSION = "daily-v1";

/** Column order of the feature matrix. */
export const FEATURE_NAMES = [
  "rsi14", //              RSI(14)/100 − 0.5
  "macd_hist_rel", //      MACD(12,26,9) histogram / close
  "close_sma50", //        close / SMA(50) − 1
  "close_sma200", //       close / SMA(200) − 1
  "bollinger_pct_b", //    Bollinger(20, 2) %B (0 at the lower band, 1 at the upper)
  "atr14_rel", //          ATR(14) / close
  "roc5", //               5-session rate of change, as a fraction
  "roc10", //              10-session rate of change, as a fraction
  "roc20", //              20-session rate of change, as a fraction
  "log_volume_ratio", //   ln(volume / SMA(volume, 20))
  "stoch_k", //            stochastic %K(14, 3) / 100
  "adx14", //              ADX(14) / 100
  "di_spread", //          (+DI − −DI) / 100
  "realized_vol20", //     annualised stdev of the last 20 daily log returns
  "drawdown252", //        close / highest high of the last 252 sessions − 1 (≤ 0)
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** One line per feature, for model cards and explanations. */
export const FEATURE_DESCRIPTIONS: Record<FeatureName, string> = {
  rsi14: "RSI(14) / 100 − 0.5",
  macd_hist_rel: "MACD(12, 26, 9) histogram / close",
  close_sma50: "close / SMA(close, 50) − 1",
  close_sma200: "close / SMA(close, 200) − 1",
  bollinger_pct_b: "Bollinger(20, 2) %B: (close − lower) / (upper − lower)",
  atr14_rel: "ATR(14) / close",
  roc5: "close / close 5 sessions ago − 1",
  roc10: "close / close 10 sessions ago − 1",
  roc20: "close / close 20 sessions ago − 1",
  log_volume_ratio: "ln(volume / SMA(volume, 20))",
  stoch_k: "stochastic %K(14, 3) / 100",
  adx14: "ADX(14) / 100",
  di_spread: "(+DI(14) − −DI(14)) / 100",
  realized_vol20: "annualised sample stdev of the last 20 daily log returns",
  drawdown252: "close / highest high of the last 252 sessions − 1",
};
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** Bars before the first row that can be valid (the longest look-back: the 252-session high). */
export const FEATURE_WARMUP = 251;

export interface OhlcvBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface OhlcvColumns {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface FeatureMatrix {
  /** rows × FEATURE_COUNT, row-major: feature j of bar i is matrix[i * FEATURE_COUNT + j]. */
  matrix: Float64Array;
  /** 1 when every feature of the row is finite. */
  valid: Uint8Array;
  rows: number;
  featureNames: readonly FeatureName[];
}

function columnsOf(bars: readonly OhlcvBar[] | OhlcvColumns): OhlcvColumns {
  if (!Array.isArray(bars)) {
    const c = bars as OhlcvColumns;
    const n = c.close.length;
    for (const k of ["open", "high", "low", "volume"] as const) {
      if (c[k].length !== n) throw new ArgusError("INVALID_INPUT", `computeFeatures: column ${k} has ${c[k].length} values, close has ${n}.`);
    }
    return c;
  }
  return barsToColumns(bars as readonly OhlcvBar[]);
}

/** Annualised sample standard deviation of the last `window` log returns ending at each bar. */
function realizedVol(close: Float64Array, window: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  const r = new Float64Array(n).fill(NaN);
  for (let i = 1; i < n; i++) r[i] = Math.log(close[i]! / close[i - 1]!);
  for (let i = window; i < n; i++) {
    // Two passes over the window: exact, and cheap at this size.
    let mean = 0;
    for (let k = i - window + 1; k <= i; k++) mean += r[k]!;
    mean /= window;
    let ss = 0;
    for (let k = i - window + 1; k <= i; k++) {
      const d = r[k]! - mean;
      ss += d * d;
    }
    out[i] = Math.sqrt((ss / (window - 1)) * 252);
  }
  return out;
}

/** close / (highest high over the last `window` bars, this one included) − 1; NaN until `window` bars exist. */
function drawdownFromHigh(high: Float64Array, close: Float64Array, window: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  // Monotonic deque of indexes with decreasing highs: O(n).
  const dq = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    while (tail > head && high[dq[tail - 1]!]! <= high[i]!) tail--;
    dq[tail++] = i;
    if (dq[head]! <= i - window) head++;
    if (i >= window - 1) out[i] = close[i]! / high[dq[head]!]! - 1;
  }
  return out;
}

/**
 * Features for every bar. Bars must be in time order, one per session, prices positive.
 * Output row i depends only on bars 0..i.
 */
export function computeFeatures(bars: readonly OhlcvBar[] | OhlcvColumns): FeatureMatrix {
  const { high, low, close, volume } = columnsOf(bars);
  const n = close.length;
  const F = FEATURE_COUNT;

  const rsi14 = rsi(close, 14);
  const macdHist = macd(close, 12, 26, 9).histogram;
  const sma50 = sma(close, 50);
  const sma200 = sma(close, 200);
  const pctB = bollinger(close, 20, 2).percentB;
  const atr14 = atr(high, low, close, 14);
  const roc5 = roc(close, 5);
  const roc10 = roc(close, 10);
  const roc20 = roc(close, 20);
  const volSma20 = sma(volume, 20);
  const stochK = stochastic(high, low, close, 14, 3).k;
  const dmi = adx(high, low, close, 14);
  const vol20 = realizedVol(close, 20);
  const dd252 = drawdownFromHigh(high, close, 252);

  const matrix = new Float64Array(n * F);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = close[i]!;
    const row = [
      rsi14[i]! / 100 - 0.5,
      macdHist[i]! / c,
      c / sma50[i]! - 1,
      c / sma200[i]! - 1,
      pctB[i]!,
      atr14[i]! / c,
      roc5[i]! / 100,
      roc10[i]! / 100,
      roc20[i]! / 100,
      Math.log(volume[i]! / volSma20[i]!),
      stochK[i]! / 100,
      dmi.adx[i]! / 100,
      (dmi.plusDI[i]! - dmi.minusDI[i]!) / 100,
      vol20[i]!,
      dd252[i]!,
    ];
    let ok = 1;
    const o = i * F;
    for (let j = 0; j < F; j++) {
      const v = row[j]!;
      matrix[o + j] = v;
      if (!Number.isFinite(v)) ok = 0;
    }
    valid[i] = ok;
  }
  return { matrix, valid, rows: n, featureNames: FEATURE_NAMES };
}

/** The feature row of the last bar, or null when it is still warming up (or not finite). */
export function latestFeatures(bars: readonly OhlcvBar[] | OhlcvColumns): Float64Array | null {
  const f = computeFeatures(bars);
  if (f.rows === 0 || f.valid[f.rows - 1] !== 1) return null;
  return f.matrix.slice((f.rows - 1) * FEATURE_COUNT, f.rows * FEATURE_COUNT);
}
