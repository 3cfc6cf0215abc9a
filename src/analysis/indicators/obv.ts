/**
 * On-Balance Volume (Granville).
 *
 * OBV[0] = 0 — the first bar has no previous close to compare with, so it contributes
 * nothing, and the series starts at a defined value instead of NaN (indicatorts does the
 * same). For i ≥ 1 the bar's volume is added when close rises, subtracted when it falls,
 * and ignored when it is unchanged (or when either close is NaN). Warm-up: none.
 *
 * Peers: technicalindicators omits the first bar (its output[i − 1] is our OBV[i]);
 * trading-signals' OBV(interval) needs `interval` ≥ 2 candles before its first value and
 * then matches from index interval − 1. Only the level is a convention: OBV is read for
 * its changes, which all of them agree on exactly (integer volumes sum exactly).
 *
 * The direction is computed branch-free as (close > prev) − (close < prev).
 */
import { assertSameLength } from "./validate.js";

/** On-Balance Volume, starting at 0. */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = assertSameLength("obv", { close, volume });
  const out = new Float64Array(n);
  if (n === 0) return out;
  let acc = 0;
  let prev = close[0]!;
  for (let i = 1; i < n; i++) {
    const c = close[i]!;
    acc += (Number(c > prev) - Number(c < prev)) * volume[i]!;
    prev = c;
    out[i] = acc;
  }
  return out;
}

/** Streaming OBV: O(1) per bar; the first bar returns 0. */
export class ObvStream {
  private started = false;
  private prev = NaN;
  private acc = 0;

  /** Adds one bar; returns the OBV. */
  next(close: number, volume: number): number {
    if (this.started) {
      const prev = this.prev;
      this.acc += (Number(close > prev) - Number(close < prev)) * volume;
    }
    this.started = true;
    this.prev = close;
    return this.acc;
  }
}
