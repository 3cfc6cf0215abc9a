/**
 * MACD (Appel): macd = EMA(fast) − EMA(slow), signal = EMA(signal) of the MACD line,
 * histogram = macd − signal.
 *
 * Every EMA is the SMA-seeded EMA of `ema.ts` (the fast and slow lines are bit-identical
 * to `ema(close, fast)` and `ema(close, slow)`). The MACD line starts at index
 * m = max(fast, slow) − 1; the signal EMA is seeded with the SMA of the first `signal`
 * MACD values, so signal and histogram start at m + signal − 1 (= slow + signal − 2 with
 * the usual fast < slow; 33 for 12/26/9). That is the TA-Lib layout and what
 * technicalindicators computes with SimpleMAOscillator/SimpleMASignal = false (it agrees
 * to ~1e-12). trading-signals' MACD is built from first-value-seeded EMAs and indicatorts'
 * macd from first-value-seeded EMAs with no warm-up; both converge to this one once the
 * seeds have decayed (10 × slow bars for 1e-6).
 */
import { emaAlpha, EmaStream } from "./ema.js";
import { validatePeriod, withNanPrefix } from "./validate.js";

export interface MacdOutput {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

export interface MacdValue {
  macd: number;
  signal: number;
  histogram: number;
}

function validateMacd(fast: number, slow: number, signal: number): void {
  validatePeriod("macd fast period", fast);
  validatePeriod("macd slow period", slow);
  validatePeriod("macd signal period", signal);
}

/** MACD line, signal line and histogram; NaN during each output's warm-up. */
export function macd(close: Float64Array, fast = 12, slow = 26, signal = 9): MacdOutput {
  validateMacd(fast, slow, signal);
  const n = close.length;
  const m = Math.max(fast, slow) - 1;
  const sigStart = m + signal - 1;
  const macdOut = withNanPrefix(n, m);
  const sigOut = withNanPrefix(n, sigStart);
  const histOut = withNanPrefix(n, sigStart);
  const { alpha: fa, beta: fb } = emaAlpha(fast);
  const { alpha: sa, beta: sb } = emaAlpha(slow);
  const { alpha: ga, beta: gb } = emaAlpha(signal);

  // Warm-up: the same state machine as three EmaStreams.
  let fs = 0;
  let ss = 0;
  let gs = 0;
  let fe = NaN;
  let se = NaN;
  let sg = NaN;
  const warmEnd = Math.min(n, sigStart + 1);
  let i = 0;
  for (; i < warmEnd; i++) {
    const x = close[i]!;
    if (i < fast) {
      fs += x;
      if (i === fast - 1) fe = fs / fast;
    } else fe = fa * x + fb * fe;
    if (i < slow) {
      ss += x;
      if (i === slow - 1) se = ss / slow;
    } else se = sa * x + sb * se;
    if (i >= m) {
      const mv = fe - se;
      macdOut[i] = mv;
      gs += mv;
      if (i === sigStart) {
        sg = gs / signal;
        sigOut[i] = sg;
        histOut[i] = mv - sg;
      }
    }
  }
  // Steady state: three independent recursions per bar.
  for (; i < n; i++) {
    const x = close[i]!;
    fe = fa * x + fb * fe;
    se = sa * x + sb * se;
    const mv = fe - se;
    sg = ga * mv + gb * sg;
    macdOut[i] = mv;
    sigOut[i] = sg;
    histOut[i] = mv - sg;
  }
  return { macd: macdOut, signal: sigOut, histogram: histOut };
}

/** Streaming MACD: three EMA states, O(1) per value. */
export class MacdStream {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
  private readonly fastEma: EmaStream;
  private readonly slowEma: EmaStream;
  private readonly signalEma: EmaStream;
  private readonly m: number;
  private count = 0;

  constructor(fast = 12, slow = 26, signal = 9) {
    validateMacd(fast, slow, signal);
    this.fast = fast;
    this.slow = slow;
    this.signal = signal;
    this.fastEma = new EmaStream(fast);
    this.slowEma = new EmaStream(slow);
    this.signalEma = new EmaStream(signal);
    this.m = Math.max(fast, slow) - 1;
  }

  /** Adds one close; returns {macd, signal, histogram}, each NaN during its warm-up. */
  next(close: number): MacdValue {
    const f = this.fastEma.next(close);
    const s = this.slowEma.next(close);
    if (this.count++ < this.m) return { macd: NaN, signal: NaN, histogram: NaN };
    const mv = f - s;
    const sg = this.signalEma.next(mv);
    return { macd: mv, signal: sg, histogram: mv - sg };
  }
}
