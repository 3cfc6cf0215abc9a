/**
 * Simple moving average: the mean of the last `period` values.
 *
 * Warm-up: out[i] is NaN for i < period − 1; out[period − 1] is the mean of the first
 * `period` values (same as every peer: technicalindicators, trading-signals; indicatorts
 * instead emits partial means during warm-up).
 *
 * Algorithm (identical in `sma` and `SmaStream`, so the two agree bit for bit): a running
 * sum updated with `sum += x[i] − x[i − period]`, and recomputed exactly from the window
 * (summed oldest to newest, starting from 0)
 *  - at every index i with (i + 1) % span === 0, where `span` is the smallest multiple of
 *    `period` ≥ 1024, which bounds the drift of the running sum to `span` updates; and
 *  - immediately when the value leaving the window is more than 2^10 times larger in
 *    magnitude than the new sum, i.e. when the update just cancelled 10 or more bits (a bad
 *    tick of 1e12 leaving a window of $100 prices). Without this, such a tick would leave
 *    its rounding error (~1e-4 here) in the sum long after it left the window. On data
 *    whose window sums cross zero the test fires now and then by chance; that costs one
 *    O(period) recompute and changes nothing but the last bits.
 * Cost: about period/span extra additions per value, plus one comparison. In the stream,
 * the ring buffer is read oldest first from the write position; at the periodic indices it
 * is exactly in window order. A recompute makes that one `next()` O(period): O(1) amortised.
 */
import { validatePeriod, withNanPrefix } from "./validate.js";

/** Minimum distance, in values, between two periodic recomputes of a running window sum. */
const RECOMPUTE_MIN = 1024;

/**
 * @internal An update that leaves the running sum this many times smaller than the value
 * leaving the window (≥ 10 cancelled bits) triggers an exact recompute.
 */
export const CANCELLATION_LIMIT = 2 ** 10;

/** @internal Recompute span of a rolling window sum: the smallest multiple of period ≥ 1024. */
export function recomputeSpan(period: number): number {
  return period * Math.ceil(RECOMPUTE_MIN / period);
}

/** @internal Σ src[from..to] (inclusive), summed in index order from 0. */
export function windowSum(src: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let j = from; j <= to; j++) s += src[j]!;
  return s;
}

/** @internal Σ of a ring buffer read oldest first, starting at `oldest`, summed from 0. */
export function ringSum(ring: Float64Array, oldest: number): number {
  let s = 0;
  for (let j = oldest; j < ring.length; j++) s += ring[j]!;
  for (let j = 0; j < oldest; j++) s += ring[j]!;
  return s;
}

/**
 * @internal Rolling mean of src[from..n) with the algorithm described above, written to
 * out[from + period − 1 .. n). Shared with stochastic %D so that it equals `SmaStream`.
 */
export function smaInto(src: Float64Array, from: number, period: number, out: Float64Array): void {
  const n = src.length;
  const first = from + period - 1;
  if (first >= n) return;
  let sum = windowSum(src, from, first);
  out[first] = sum / period;
  const span = recomputeSpan(period);
  // Next index (relative to `from`, +1 a multiple of span) where the sum is recomputed.
  let next = from + span - 1;
  if (next === first) next += span; // the initial sum already is that recompute
  let i = first + 1;
  while (i < n) {
    const stop = next < n ? next : n;
    for (; i < stop; i++) {
      const old = src[i - period]!;
      sum += src[i]! - old;
      if (Math.abs(old) > Math.abs(sum) * CANCELLATION_LIMIT) sum = windowSum(src, i - period + 1, i);
      out[i] = sum / period;
    }
    if (i < n) {
      // i === next: periodic exact recompute of the window [i − period + 1, i].
      sum = windowSum(src, i - period + 1, i);
      out[i] = sum / period;
      i++;
      next += span;
    }
  }
}

/** Simple moving average; NaN for the first period − 1 values. */
export function sma(values: Float64Array, period: number): Float64Array {
  validatePeriod("sma period", period);
  const out = withNanPrefix(values.length, period - 1);
  smaInto(values, 0, period, out);
  return out;
}

/** Streaming SMA: O(1) amortised per value, a ring buffer of `period` values. */
export class SmaStream {
  readonly period: number;
  private readonly ring: Float64Array;
  private readonly span: number;
  private pos = 0;
  private full = false;
  private untilRecompute: number;
  private sum = 0;

  constructor(period: number) {
    validatePeriod("sma period", period);
    this.period = period;
    this.ring = new Float64Array(period);
    this.span = recomputeSpan(period);
    this.untilRecompute = this.span;
  }

  /** Adds one value; returns the SMA, or NaN during warm-up. */
  next(v: number): number {
    const ring = this.ring;
    const p = this.period;
    const pos = this.pos;
    const oldest = pos + 1 === p ? 0 : pos + 1;
    if (this.full) {
      const old = ring[pos]!;
      ring[pos] = v;
      this.sum += v - old;
      if (Math.abs(old) > Math.abs(this.sum) * CANCELLATION_LIMIT) this.sum = ringSum(ring, oldest);
    } else {
      ring[pos] = v;
      this.sum += v;
      if (oldest === 0) this.full = true;
    }
    this.pos = oldest;
    if (--this.untilRecompute === 0) {
      // oldest is 0 here (span is a multiple of period): the ring is in window order.
      this.untilRecompute = this.span;
      this.sum = ringSum(ring, 0);
    }
    return this.full ? this.sum / p : NaN;
  }
}
