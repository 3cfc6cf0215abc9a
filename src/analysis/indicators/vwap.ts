/**
 * Session-anchored Volume-Weighted Average Price.
 *
 * typical price tp = (high + low + close) / 3; within a session
 * VWAP[i] = Σ tp·volume / Σ volume over the session's bars up to and including i.
 * The sums restart whenever `session[i]` differs from the previous bar's key; a session key
 * is any integer that is constant within a session, e.g. the day number of the bar's
 * New York date (`Math.floor(Date.UTC(y, m − 1, d) / 86_400_000)`).
 *
 * Warm-up: none (the first bar of each session has VWAP = its typical price). A session
 * whose bars so far have zero total volume has no VWAP: the value is NaN (0/0) until a bar
 * with volume arrives. There are no periods to validate.
 *
 * Peers (technicalindicators, trading-signals) accumulate from the first bar forever,
 * with no session reset; on a single session they agree with this VWAP. trading-signals
 * also skips zero-volume bars (returns null) instead of repeating the current VWAP.
 */
import { assertSameLength } from "./validate.js";

/** Session-anchored VWAP; `session` holds one integer session key per bar. */
export function vwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  session: Int32Array,
): Float64Array {
  const n = assertSameLength("vwap", { high, low, close, volume, session });
  const out = new Float64Array(n);
  let pv = 0;
  let vol = 0;
  let key = 0;
  for (let i = 0; i < n; i++) {
    const s = session[i]!;
    if (i === 0 || s !== key) {
      key = s;
      pv = 0;
      vol = 0;
    }
    const v = volume[i]!;
    pv += ((high[i]! + low[i]! + close[i]!) / 3) * v;
    vol += v;
    out[i] = pv / vol;
  }
  return out;
}

/** Streaming session VWAP: O(1) per bar. */
export class VwapStream {
  private started = false;
  private key = 0;
  private pv = 0;
  private vol = 0;

  /** Adds one bar of `session`; returns the session VWAP so far (NaN while its volume is 0). */
  next(high: number, low: number, close: number, volume: number, session: number): number {
    if (!this.started || session !== this.key) {
      this.started = true;
      this.key = session;
      this.pv = 0;
      this.vol = 0;
    }
    this.pv += ((high + low + close) / 3) * volume;
    this.vol += volume;
    return this.pv / this.vol;
  }
}
