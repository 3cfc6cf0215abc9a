/**
 * Simple moving average: the mean of the last `period` values.
 *
 * Warm-up: out[i] is NaN for i < period − 1; out[period − 1] is the mean of the first
 * `period` values (same as every peer: technicalindicators, trading-signals; indicatorts
 * instead emits partial means during warm-up).
 *
 * Algorithm (identical in `sma` and `SmaStream`, so the two agree bit for bit): a running
 * sum updated with `sum += x[i] − x[i − period]`, recomputed from the window (summed oldest
 * to newest, starting from 0) at every index i with (i + 1) % span === 0, where `span` is
 * the smallest multiple of `period` that is ≥ 1024. The periodic recompute bounds the drift
 * of the running sum to at most `span` updates: without it one huge value (a bad tick of
 * 1e12) would leave a permanent rounding error in the sum long after it left the window.
 * Cost: about period/span extra additions per value. In the stream the ring buffer is
 * exactly in window order at those indices (span is a multiple of period); the recompute
 * makes one `next()` in `span` cost O(period), O(1) amortised.
 */
import { validatePeriod, withNanPrefix } from "./validate.js";

/** Minimum distance, in values, between two exact recomputes of a running window sum. */
const RECOMPUTE_MIN = 1024;

/** @internal Recompute span of a rolling window sum: the smallest multiple of period ≥ 1024. */
export function recomputeSpan(period: number): number {
  return period * Math.ceil(RECOMPUTE_MIN / period);
}

/**
 * @internal Rolling mean of src[from..n) with the algorithm described above, written to
 * out[from + period − 1 .. n). Shared with stochastic %D so that it equals `SmaStream`.
 */
export function smaInto(src: Float64Array, from: number, period: number, out: Float64Array): void {
  const n = src.length;
  const first = from + period - 1;
  if (first >= n) return;
  let sum = 0;
  for (let i = from; i <= first; i++) sum += src[i]!;
  out[first] = sum / period;
  const span = recomputeSpan(period);
  // Next index (relative to `from`, +1 a multiple of span) where the sum is recomputed.
  let next = from + span - 1;
  if (next === first) next += span; // the initial sum already is that recompute
  let i = first + 1;
  while (i < n) {
    const stop = next < n ? next : n;
    for (; i < stop; i++) {
      sum += src[i]! - src[i - period]!;
      out[i] = sum / period;
    }
    if (i < n) {
      // i === next: exact recompute of the window [i − period + 1, i], oldest first.
      let s = 0;
      for (let j = i - period + 1; j <= i; j++) s += src[j]!;
      sum = s;
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
    let pos = this.pos;
    if (this.full) this.sum += v - ring[pos]!;
    else this.sum += v;
    ring[pos] = v;
    if (++pos === p) {
      pos = 0;
      this.full = true;
    }
    this.pos = pos;
    if (--this.untilRecompute === 0) {
      // pos is 0 here (span is a multiple of period): the ring is in window order.
      this.untilRecompute = this.span;
      let s = 0;
      for (let j = 0; j < p; j++) s += ring[j]!;
      this.sum = s;
    }
    return this.full ? this.sum / p : NaN;
  }
}
