/**
 * Warm-up of every indicator: the index of the first non-NaN output as a function of the
 * indicator's parameters (defaults as in the batch functions). Equivalently, an input of
 * `warmup + 1` bars is the shortest one that yields a value. Each module's header explains
 * the seeding behind its number.
 *
 * `INDICATOR_WARMUP` gives one number per indicator: the first index at which EVERY output
 * is defined (for MACD the signal line, for stochastic %D, for ADX the ADX line).
 * `INDICATOR_OUTPUT_WARMUP` gives it per output for the multi-output indicators.
 *
 * Outputs can still be NaN after warm-up only for degenerate data: NaN inputs, and VWAP
 * while a session has had no volume yet.
 */
export const INDICATOR_WARMUP = {
  /** period − 1 */
  sma: (period: number): number => period - 1,
  /** period − 1 (SMA seed) */
  ema: (period: number): number => period - 1,
  /** period (the first change needs two closes) */
  rsi: (period = 14): number => period,
  /** signal line: max(fast, slow) + signal − 2 (33 for 12/26/9) */
  macd: (fast = 12, slow = 26, signal = 9): number => Math.max(fast, slow) + signal - 2,
  /** period − 1 */
  bollinger: (period = 20): number => period - 1,
  /** period − 1 (the first bar's TR is high − low) */
  atr: (period = 14): number => period - 1,
  /** 0 (NaN only while the session's volume is still 0) */
  vwap: (): number => 0,
  /** 0 (OBV starts at 0) */
  obv: (): number => 0,
  /** period */
  roc: (period = 12): number => period,
  /** %D: kPeriod + dPeriod − 2 */
  stochastic: (kPeriod = 14, dPeriod = 3): number => kPeriod + dPeriod - 2,
  /** ADX: 2·period − 1 (27 for 14) */
  adx: (period = 14): number => 2 * period - 1,
} as const;

export type IndicatorName = keyof typeof INDICATOR_WARMUP;

/** Per-output warm-up of the multi-output indicators. */
export const INDICATOR_OUTPUT_WARMUP = {
  macd: (fast = 12, slow = 26, signal = 9) => {
    const m = Math.max(fast, slow) - 1;
    return { macd: m, signal: m + signal - 1, histogram: m + signal - 1 };
  },
  bollinger: (period = 20) => {
    const w = period - 1;
    return { middle: w, upper: w, lower: w, percentB: w, bandwidth: w };
  },
  stochastic: (kPeriod = 14, dPeriod = 3) => ({ k: kPeriod - 1, d: kPeriod + dPeriod - 2 }),
  adx: (period = 14) => ({ adx: 2 * period - 1, plusDI: period, minusDI: period }),
} as const;
