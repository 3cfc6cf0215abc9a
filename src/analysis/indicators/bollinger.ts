/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle ± k·σ, where σ is the
 * POPULATION standard deviation of the window (divide by period, not period − 1). That
 * is Bollinger's own definition and what every peer uses (technicalindicators' SD,
 * trading-signals' getStandardDeviation, indicatorts' mstd all divide by period).
 *
 * percentB = (close − lower) / (upper − lower), 0.5 when the bands have zero width (a
 * flat window; same as trading-signals' PercentB, technicalindicators gives NaN).
 * bandwidth = (upper − lower) / middle as a fraction (trading-signals'
 * BollingerBandsWidth; multiply by 100 for the percent form some charting tools show),
 * 0 when the bands have zero width.
 *
 * Warm-up: NaN for i < period − 1 in every output.
 *
 * Algorithm (identical in batch and stream): the running sum of `sma.ts` (so `middle` is
 * bit-identical to `sma(close, period)`) plus a running sum of squared deviations M2,
 * updated when x replaces `old` with the sliding-window Welford identity
 *   M2 += (x − old)·((x − mean_new) + (old − mean_old)),
 * which avoids the cancellation of the textbook Σx² − (Σx)²/n form. Sum and M2 are computed
 * exactly from the window (two passes) when it first fills and at every index with
 * (i + 1) % span === 0, the same recompute schedule as `sma.ts` (span = smallest multiple of
 * period ≥ 1024), so rounding error cannot accumulate for more than `span` bars.
 * σ = √(M2/period), and 0 when M2 ≤ 0 (rounding can leave M2 a hair below 0 on flat data).
 */
import { recomputeSpan } from "./sma.js";
import { validatePeriod, validatePositive, withNanPrefix } from "./validate.js";

export interface BollingerOutput {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
  percentB: Float64Array;
  bandwidth: Float64Array;
}

export interface BollingerValue {
  middle: number;
  upper: number;
  lower: number;
  percentB: number;
  bandwidth: number;
}

function validateBollinger(period: number, k: number): void {
  validatePeriod("bollinger period", period);
  validatePositive("bollinger k (standard deviations)", k);
}

/** Bollinger Bands with population σ; NaN for the first period − 1 values. */
export function bollinger(close: Float64Array, period = 20, k = 2): BollingerOutput {
  validateBollinger(period, k);
  const n = close.length;
  const warm = period - 1;
  const middle = withNanPrefix(n, warm);
  const upper = withNanPrefix(n, warm);
  const lower = withNanPrefix(n, warm);
  const percentB = withNanPrefix(n, warm);
  const bandwidth = withNanPrefix(n, warm);
  const out: BollingerOutput = { middle, upper, lower, percentB, bandwidth };
  if (n < period) return out;

  let sum = 0;
  let mean = 0;
  let m2 = 0;
  const span = recomputeSpan(period);
  // `next` is the next index with (i + 1) % span === 0; the window is also computed exactly
  // when it first fills, at i = period − 1.
  let next = span - 1;
  for (let i = period - 1; i < n; i++) {
    const x = close[i]!;
    if (i === next || i === period - 1) {
      // Exact recompute from the window [i − period + 1, i], oldest first.
      const from = i - period + 1;
      let s = 0;
      for (let j = from; j <= i; j++) s += close[j]!;
      sum = s;
      mean = sum / period;
      let q = 0;
      for (let j = from; j <= i; j++) {
        const e = close[j]! - mean;
        q += e * e;
      }
      m2 = q;
      if (i === next) next += span;
    } else {
      const old = close[i - period]!;
      const d = x - old;
      const m0 = mean;
      sum += d;
      mean = sum / period;
      m2 += d * (x - mean + (old - m0));
    }
    const sd = m2 > 0 ? Math.sqrt(m2 / period) : 0;
    const dev = k * sd;
    const up = mean + dev;
    const lo = mean - dev;
    const width = up - lo;
    middle[i] = mean;
    upper[i] = up;
    lower[i] = lo;
    percentB[i] = width === 0 ? 0.5 : (x - lo) / width;
    bandwidth[i] = width === 0 ? 0 : width / mean;
  }
  return out;
}

/** Streaming Bollinger Bands: ring buffer of `period` closes, O(1) amortised per value. */
export class BollingerStream {
  readonly period: number;
  readonly k: number;
  private readonly ring: Float64Array;
  private readonly span: number;
  private pos = 0;
  private full = false;
  private untilRecompute: number;
  private sum = 0;
  private mean = 0;
  private m2 = 0;

  constructor(period = 20, k = 2) {
    validateBollinger(period, k);
    this.period = period;
    this.k = k;
    this.ring = new Float64Array(period);
    this.span = recomputeSpan(period);
    this.untilRecompute = this.span;
  }

  /** Adds one close; returns the bands (all NaN during warm-up). */
  next(close: number): BollingerValue {
    const ring = this.ring;
    const p = this.period;
    let pos = this.pos;
    if (this.full) {
      const old = ring[pos]!;
      const d = close - old;
      const m0 = this.mean;
      this.sum += d;
      this.mean = this.sum / p;
      this.m2 += d * (close - this.mean + (old - m0));
    } else {
      this.sum += close;
    }
    ring[pos] = close;
    let recompute = false;
    if (--this.untilRecompute === 0) {
      this.untilRecompute = this.span;
      recompute = true;
    }
    if (++pos === p) {
      pos = 0;
      if (!this.full) recompute = true;
      this.full = true;
    }
    if (recompute) {
      // pos is 0 here: the ring is in window order, oldest first.
      let s = 0;
      for (let j = 0; j < p; j++) s += ring[j]!;
      this.sum = s;
      const mean = s / p;
      this.mean = mean;
      let q = 0;
      for (let j = 0; j < p; j++) {
        const e = ring[j]! - mean;
        q += e * e;
      }
      this.m2 = q;
    }
    this.pos = pos;
    if (!this.full) return { middle: NaN, upper: NaN, lower: NaN, percentB: NaN, bandwidth: NaN };
    const mean = this.mean;
    const sd = this.m2 > 0 ? Math.sqrt(this.m2 / p) : 0;
    const dev = this.k * sd;
    const up = mean + dev;
    const lo = mean - dev;
    const width = up - lo;
    return {
      middle: mean,
      upper: up,
      lower: lo,
      percentB: width === 0 ? 0.5 : (close - lo) / width,
      bandwidth: width === 0 ? 0 : width / mean,
    };
  }
}
