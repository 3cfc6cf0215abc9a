/**
 * Rate of Change in percent: ROC[i] = 100·(close[i] / close[i − period] − 1).
 *
 * Warm-up: NaN for i < period (the first value compares bar `period` with bar 0), same as
 * technicalindicators and indicatorts (indicatorts writes 0 instead of NaN during warm-up).
 * trading-signals' ROC returns the fraction, not percent. A zero reference close gives
 * ±Infinity (or NaN for 0/0) by IEEE rules; prices are positive in practice.
 */
import { validatePeriod, withNanPrefix } from "./validate.js";

/** Percent rate of change over `period` bars; NaN for the first `period` values. */
export function roc(close: Float64Array, period = 12): Float64Array {
  validatePeriod("roc period", period);
  const n = close.length;
  const out = withNanPrefix(n, period);
  for (let i = period; i < n; i++) out[i] = 100 * (close[i]! / close[i - period]! - 1);
  return out;
}

/** Streaming ROC: a ring buffer of the last `period` closes, O(1) per value. */
export class RocStream {
  readonly period: number;
  private readonly ring: Float64Array;
  private pos = 0;
  private full = false;

  constructor(period = 12) {
    validatePeriod("roc period", period);
    this.period = period;
    this.ring = new Float64Array(period);
  }

  /** Adds one close; returns the ROC in percent, or NaN during warm-up. */
  next(close: number): number {
    const pos = this.pos;
    const ref = this.ring[pos]!;
    this.ring[pos] = close;
    this.pos = pos + 1 === this.period ? 0 : pos + 1;
    const out = this.full ? 100 * (close / ref - 1) : NaN;
    if (this.pos === 0) this.full = true;
    return out;
  }
}
