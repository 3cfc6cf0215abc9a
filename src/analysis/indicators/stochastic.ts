/**
 * Fast Stochastic Oscillator (Lane).
 *
 * %K[i] = 100·(close − LL) / (HH − LL) with HH/LL the highest high / lowest low of the last
 * kPeriod bars (including bar i); %D = SMA(dPeriod) of %K, computed with the SMA of
 * `sma.ts` (so it is bit-identical to `sma(k.subarray(kPeriod − 1), dPeriod)`).
 * Warm-up: %K is NaN for i < kPeriod − 1, %D for i < kPeriod + dPeriod − 2.
 *
 * A window with HH = LL (no range at all) has no defined position; we return %K = 50,
 * the middle of the scale, so a flat market reads as neutral rather than oversold.
 * Peers differ there: technicalindicators maps the resulting NaN to 0, trading-signals
 * divides by 1 instead (giving 0 too, since close = LL), and indicatorts returns NaN.
 * Everywhere else all three agree with this %K/%D to ~1e-12 after warm-up
 * (indicatorts emits partial windows before it).
 *
 * Rolling HH/LL use monotonic deques (amortised O(1) per bar, O(kPeriod) memory) in both
 * the batch function and the stream, with the same tie rule (a newer equal value evicts
 * an older one); max/min involve no rounding, so both forms agree exactly.
 */
import { smaInto, SmaStream } from "./sma.js";
import { assertSameLength, validatePeriod, withNanPrefix } from "./validate.js";

export interface StochasticOutput {
  k: Float64Array;
  d: Float64Array;
}

export interface StochasticValue {
  k: number;
  d: number;
}

function validateStochastic(kPeriod: number, dPeriod: number): void {
  validatePeriod("stochastic %K period", kPeriod);
  validatePeriod("stochastic %D period", dPeriod);
}

/** %K from close, lowest low and highest high; 50 for a window without range. */
function kValue(close: number, ll: number, hh: number): number {
  const range = hh - ll;
  return range === 0 ? 50 : ((close - ll) / range) * 100;
}

/** Fast stochastic %K and its SMA %D; NaN during warm-up. */
export function stochastic(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  kPeriod = 14,
  dPeriod = 3,
): StochasticOutput {
  validateStochastic(kPeriod, dPeriod);
  const n = assertSameLength("stochastic", { high, low, close });
  const k = withNanPrefix(n, kPeriod - 1);
  const d = withNanPrefix(n, kPeriod + dPeriod - 2);
  if (n < kPeriod) return { k, d };
  // Ring deques of bar indices; capacity kPeriod (the window never holds more).
  const cap = kPeriod;
  const qMax = new Int32Array(cap);
  const qMin = new Int32Array(cap);
  let maxHead = 0;
  let maxLen = 0;
  let minHead = 0;
  let minLen = 0;
  for (let i = 0; i < n; i++) {
    const expired = i - kPeriod;
    // Highest high.
    if (maxLen > 0 && qMax[maxHead]! <= expired) {
      if (++maxHead === cap) maxHead = 0;
      maxLen--;
    }
    const h = high[i]!;
    while (maxLen > 0) {
      let back = maxHead + maxLen - 1;
      if (back >= cap) back -= cap;
      if (high[qMax[back]!]! <= h) maxLen--;
      else break;
    }
    let slot = maxHead + maxLen;
    if (slot >= cap) slot -= cap;
    qMax[slot] = i;
    maxLen++;
    // Lowest low.
    if (minLen > 0 && qMin[minHead]! <= expired) {
      if (++minHead === cap) minHead = 0;
      minLen--;
    }
    const l = low[i]!;
    while (minLen > 0) {
      let back = minHead + minLen - 1;
      if (back >= cap) back -= cap;
      if (low[qMin[back]!]! >= l) minLen--;
      else break;
    }
    slot = minHead + minLen;
    if (slot >= cap) slot -= cap;
    qMin[slot] = i;
    minLen++;
    if (i >= kPeriod - 1) k[i] = kValue(close[i]!, low[qMin[minHead]!]!, high[qMax[maxHead]!]!);
  }
  smaInto(k, kPeriod - 1, dPeriod, d);
  return { k, d };
}

/**
 * A monotonic deque over the last `cap` values of a stream: `push` returns the window
 * maximum (sign = 1) or minimum (sign = −1). Values and their bar numbers live in two
 * ring buffers of length `cap`.
 */
class MonotonicDeque {
  private readonly vals: Float64Array;
  private readonly idx: Float64Array;
  private head = 0;
  private len = 0;

  constructor(
    private readonly cap: number,
    private readonly isMax: boolean,
  ) {
    this.vals = new Float64Array(cap);
    this.idx = new Float64Array(cap);
  }

  push(v: number, bar: number): number {
    const cap = this.cap;
    const vals = this.vals;
    let head = this.head;
    let len = this.len;
    if (len > 0 && this.idx[head]! <= bar - cap) {
      if (++head === cap) head = 0;
      len--;
    }
    if (this.isMax) {
      while (len > 0) {
        let back = head + len - 1;
        if (back >= cap) back -= cap;
        if (vals[back]! <= v) len--;
        else break;
      }
    } else {
      while (len > 0) {
        let back = head + len - 1;
        if (back >= cap) back -= cap;
        if (vals[back]! >= v) len--;
        else break;
      }
    }
    let slot = head + len;
    if (slot >= cap) slot -= cap;
    vals[slot] = v;
    this.idx[slot] = bar;
    this.head = head;
    this.len = len + 1;
    return vals[head]!;
  }
}

/** Streaming fast stochastic: two monotonic deques and an SmaStream, amortised O(1) per bar. */
export class StochasticStream {
  readonly kPeriod: number;
  readonly dPeriod: number;
  private readonly maxQ: MonotonicDeque;
  private readonly minQ: MonotonicDeque;
  private readonly dSma: SmaStream;
  private bar = 0;

  constructor(kPeriod = 14, dPeriod = 3) {
    validateStochastic(kPeriod, dPeriod);
    this.kPeriod = kPeriod;
    this.dPeriod = dPeriod;
    this.maxQ = new MonotonicDeque(kPeriod, true);
    this.minQ = new MonotonicDeque(kPeriod, false);
    this.dSma = new SmaStream(dPeriod);
  }

  /** Adds one bar; returns {k, d}, each NaN during its warm-up. */
  next(high: number, low: number, close: number): StochasticValue {
    const bar = this.bar++;
    const hh = this.maxQ.push(high, bar);
    const ll = this.minQ.push(low, bar);
    if (bar < this.kPeriod - 1) return { k: NaN, d: NaN };
    const k = kValue(close, ll, hh);
    return { k, d: this.dSma.next(k) };
  }
}
