/**
 * Average True Range (Wilder).
 *
 * True range: TR[0] = high − low (there is no previous close); for i ≥ 1
 * TR = max(high − low, |high − prevClose|, |low − prevClose|).
 * Seeding: ATR[period − 1] = mean of TR[0..period − 1]; afterwards Wilder smoothing
 * ATR = ATR·(period − 1)/period + TR·(1/period). Warm-up: NaN for i < period − 1.
 *
 * Using the first bar's high − low makes ATR available one bar earlier and is what
 * trading-signals does (it agrees to ~1e-12). technicalindicators and TA-Lib skip the first
 * bar (first TR at index 1, first ATR at index `period`); the two seeds differ by a few
 * percent and the difference decays like ((period − 1)/period)^n, below 1e-6 of the price
 * after about 20 × period bars. indicatorts' atr is an SMA of TR, not Wilder's ATR.
 */
import { wilderAlpha } from "./rsi.js";
import { assertSameLength, validatePeriod, withNanPrefix } from "./validate.js";

/** Wilder ATR; NaN for the first period − 1 values. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  validatePeriod("atr period", period);
  const n = assertSameLength("atr", { high, low, close });
  const out = withNanPrefix(n, period - 1);
  if (n < period) return out;
  let sum = high[0]! - low[0]!;
  for (let i = 1; i < period; i++) {
    const pc = close[i - 1]!;
    const h = high[i]!;
    const l = low[i]!;
    sum += Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
  }
  let a = sum / period;
  out[period - 1] = a;
  const { alpha, beta } = wilderAlpha(period);
  for (let i = period; i < n; i++) {
    const pc = close[i - 1]!;
    const h = high[i]!;
    const l = low[i]!;
    a = a * beta + Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc)) * alpha;
    out[i] = a;
  }
  return out;
}

/** Streaming Wilder ATR: O(1) per bar. */
export class AtrStream {
  readonly period: number;
  private readonly alpha: number;
  private readonly beta: number;
  private count = 0;
  private prevClose = NaN;
  private sum = 0;
  private a = NaN;

  constructor(period = 14) {
    validatePeriod("atr period", period);
    this.period = period;
    const { alpha, beta } = wilderAlpha(period);
    this.alpha = alpha;
    this.beta = beta;
  }

  /** Adds one bar; returns the ATR, or NaN during warm-up. */
  next(high: number, low: number, close: number): number {
    const pc = this.prevClose;
    this.prevClose = close;
    const count = this.count;
    const tr = count === 0 ? high - low : Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    if (count >= this.period) {
      this.a = this.a * this.beta + tr * this.alpha;
      return this.a;
    }
    this.count = count + 1;
    // sum starts at 0: 0 + TR[0] is exactly TR[0], as in the batch loop.
    this.sum += tr;
    if (count + 1 === this.period) this.a = this.sum / this.period;
    return this.a;
  }
}
