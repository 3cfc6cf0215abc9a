/**
 * Relative Strength Index (Wilder, 1978).
 *
 * Changes d[i] = close[i] − close[i − 1] for i ≥ 1, split into gain = max(d, 0) and
 * loss = max(−d, 0). Seeding: at index `period` the average gain/loss are the simple
 * averages of the first `period` changes (d[1..period]); afterwards Wilder smoothing
 * avg = avg·(period − 1)/period + x·(1/period). Warm-up: NaN for i < period (a change needs
 * two closes, so the first value is one bar later than an SMA of the same period).
 *
 * RSI = 100·avgGain / (avgGain + avgLoss), which equals 100 − 100/(1 + RS) without the
 * division by zero: only gains gives 100, only losses gives 0, and a flat window (no
 * change at all) gives 50 — neutral. Peers: trading-signals' RSI (WSMA smoothing, SMA seed)
 * uses the same seeding and matches to ~1e-12; it and technicalindicators return 100 for
 * a flat window, and technicalindicators rounds every RSI to 2 decimals.
 * indicatorts seeds with a cumulative average from the first bar (different warm-up).
 *
 * gain and loss are computed branch-free as (|d| + d)/2 and (|d| − d)/2, which are exact.
 */
import { validatePeriod, withNanPrefix } from "./validate.js";

/** Wilder smoothing constants; shared by RSI, ATR and ADX batch and stream code. */
export function wilderAlpha(period: number): { alpha: number; beta: number } {
  return { alpha: 1 / period, beta: (period - 1) / period };
}

/** RSI from a flat window is neutral (50); otherwise 100·gain/(gain + loss). */
function rsiValue(avgGain: number, avgLoss: number): number {
  const s = avgGain + avgLoss;
  return s === 0 ? 50 : (100 * avgGain) / s;
}

/** Wilder RSI; NaN for the first `period` values. */
export function rsi(close: Float64Array, period = 14): Float64Array {
  validatePeriod("rsi period", period);
  const n = close.length;
  const out = withNanPrefix(n, period);
  if (n <= period) return out;
  let g = 0;
  let l = 0;
  for (let i = 1; i <= period; i++) {
    const d = close[i]! - close[i - 1]!;
    const a = Math.abs(d);
    g += (a + d) * 0.5;
    l += (a - d) * 0.5;
  }
  let avgGain = g / period;
  let avgLoss = l / period;
  out[period] = rsiValue(avgGain, avgLoss);
  const { alpha, beta } = wilderAlpha(period);
  for (let i = period + 1; i < n; i++) {
    const d = close[i]! - close[i - 1]!;
    const a = Math.abs(d);
    avgGain = avgGain * beta + (a + d) * 0.5 * alpha;
    avgLoss = avgLoss * beta + (a - d) * 0.5 * alpha;
    out[i] = rsiValue(avgGain, avgLoss);
  }
  return out;
}

/** Streaming Wilder RSI: O(1) per value. */
export class RsiStream {
  readonly period: number;
  private readonly alpha: number;
  private readonly beta: number;
  private count = 0;
  private prev = NaN;
  private avgGain = 0;
  private avgLoss = 0;

  constructor(period = 14) {
    validatePeriod("rsi period", period);
    this.period = period;
    const { alpha, beta } = wilderAlpha(period);
    this.alpha = alpha;
    this.beta = beta;
  }

  /** Adds one close; returns the RSI, or NaN during warm-up. */
  next(close: number): number {
    const count = this.count++;
    const d = close - this.prev;
    this.prev = close;
    if (count === 0) return NaN;
    const a = Math.abs(d);
    if (count > this.period) {
      this.avgGain = this.avgGain * this.beta + (a + d) * 0.5 * this.alpha;
      this.avgLoss = this.avgLoss * this.beta + (a - d) * 0.5 * this.alpha;
      return rsiValue(this.avgGain, this.avgLoss);
    }
    // Warm-up: avgGain/avgLoss hold the running sums of the first `period` changes.
    this.avgGain += (a + d) * 0.5;
    this.avgLoss += (a - d) * 0.5;
    if (count < this.period) return NaN;
    this.avgGain /= this.period;
    this.avgLoss /= this.period;
    return rsiValue(this.avgGain, this.avgLoss);
  }
}
