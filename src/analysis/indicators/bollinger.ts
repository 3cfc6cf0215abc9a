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
 * Algorithm (identical in batch and stream): the running sum of `sma.ts`, with the same
 * recompute rules (so `middle` is bit-identical to `sma(close, period)`), plus a running sum
 * of squared deviations M2, updated when x replaces `old` with the sliding-window Welford
 * identity
 *   M2 += (x − old)·((x − mean_new) + (old − mean_old)),
 * which avoids the cancellation of the textbook Σx² − (Σx)²/n form. M2 is recomputed
 * exactly from the window (two passes) when the window first fills, at the periodic
 * recompute indices of the sum (every `span` values, span = smallest multiple of period
 * ≥ 1024), and immediately when an update shrinks M2 by more than 2^10 (an outlier leaving
 * the window, whose rounding would otherwise swamp the remaining variance) or makes it
 * negative. σ = √(M2/period), 0 when M2 is 0.
 */
import { CANCELLATION_LIMIT, recomputeSpan, ringSum, windowSum } from "./sma.js";
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

/** Σ (x − mean)² over src[from..to], in index order from 0. */
function windowM2(src: Float64Array, from: number, to: number, mean: number): number {
  let q = 0;
  for (let j = from; j <= to; j++) {
    const e = src[j]! - mean;
    q += e * e;
  }
  return q;
}

/** The same over a ring buffer read oldest first from `oldest`. */
function ringM2(ring: Float64Array, oldest: number, mean: number): number {
  let q = 0;
  for (let j = oldest; j < ring.length; j++) {
    const e = ring[j]! - mean;
    q += e * e;
  }
  for (let j = 0; j < oldest; j++) {
    const e = ring[j]! - mean;
    q += e * e;
  }
  return q;
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
      sum = windowSum(close, i - period + 1, i);
      mean = sum / period;
      m2 = windowM2(close, i - period + 1, i, mean);
      if (i === next) next += span;
    } else {
      const old = close[i - period]!;
      const d = x - old;
      const m0 = mean;
      sum += d;
      if (Math.abs(old) > Math.abs(sum) * CANCELLATION_LIMIT) sum = windowSum(close, i - period + 1, i);
      mean = sum / period;
      const prev = m2;
      m2 += d * (x - mean + (old - m0));
      if (prev > m2 * CANCELLATION_LIMIT) m2 = windowM2(close, i - period + 1, i, mean);
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
    const pos = this.pos;
    const oldest = pos + 1 === p ? 0 : pos + 1;
    let exact = false;
    if (this.full) {
      const old = ring[pos]!;
      ring[pos] = close;
      const d = close - old;
      const m0 = this.mean;
      this.sum += d;
      if (Math.abs(old) > Math.abs(this.sum) * CANCELLATION_LIMIT) this.sum = ringSum(ring, oldest);
      this.mean = this.sum / p;
      const prev = this.m2;
      this.m2 += d * (close - this.mean + (old - m0));
      if (prev > this.m2 * CANCELLATION_LIMIT) this.m2 = ringM2(ring, oldest, this.mean);
    } else {
      ring[pos] = close;
      this.sum += close;
      if (oldest === 0) {
        this.full = true;
        exact = true;
      }
    }
    this.pos = oldest;
    if (--this.untilRecompute === 0) {
      this.untilRecompute = this.span;
      exact = true;
    }
    if (exact) {
      // oldest is 0 here: the window first filled, or a periodic index (a multiple of period).
      this.sum = ringSum(ring, 0);
      this.mean = this.sum / p;
      this.m2 = ringM2(ring, 0, this.mean);
    }
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
