import { z } from "zod";
import { ArgusError } from "../core/errors.js";
import { adx, atr, bollinger, ema, INDICATOR_WARMUP, macd, obv, roc, rsi, sma, stochastic, vwap } from "./indicators/index.js";
import type { Columns } from "./series.js";

/**
 * The indicators a caller can ask for by name, with their parameters and defaults.
 * Each returns named output series aligned with the bars (NaN while warming up).
 */
export const INDICATOR_NAMES = ["sma", "ema", "rsi", "macd", "bollinger", "atr", "vwap", "obv", "roc", "stochastic", "adx"] as const;
export type IndicatorName = (typeof INDICATOR_NAMES)[number];

const period = z.number().int().positive().max(1000);

export const indicatorRequestSchema = z.object({
  name: z.enum(INDICATOR_NAMES),
  period: period.optional().describe("Lookback (sma/ema default 20, rsi/atr/adx 14, roc 12, bollinger 20, stochastic %K 14)"),
  fast: period.optional().describe("MACD fast EMA (default 12)"),
  slow: period.optional().describe("MACD slow EMA (default 26)"),
  signal: period.optional().describe("MACD signal EMA (default 9); stochastic %D (default 3)"),
  stdDev: z.number().positive().max(10).optional().describe("Bollinger band width in standard deviations (default 2)"),
});
export type IndicatorRequest = z.infer<typeof indicatorRequestSchema>;

export interface IndicatorOutput {
  /** e.g. "rsi(14)", "macd(12,26,9)". */
  key: string;
  name: IndicatorName;
  params: Record<string, number>;
  series: Record<string, Float64Array>;
  /** Bars needed before the first value. */
  warmup: number;
}

/** Session keys for VWAP: the New York day of each bar (bars of one session share a day). */
export type SessionKeys = Int32Array;

export function computeIndicator(req: IndicatorRequest, cols: Columns, sessions: SessionKeys): IndicatorOutput {
  const { high, low, close, volume } = cols;
  switch (req.name) {
    case "sma":
    case "ema": {
      const p = req.period ?? 20;
      return { key: `${req.name}(${p})`, name: req.name, params: { period: p }, series: { value: req.name === "sma" ? sma(close, p) : ema(close, p) }, warmup: INDICATOR_WARMUP[req.name](p) };
    }
    case "rsi": {
      const p = req.period ?? 14;
      return { key: `rsi(${p})`, name: "rsi", params: { period: p }, series: { value: rsi(close, p) }, warmup: INDICATOR_WARMUP.rsi(p) };
    }
    case "macd": {
      const f = req.fast ?? 12;
      const s = req.slow ?? 26;
      const g = req.signal ?? 9;
      if (f >= s) throw new ArgusError("INVALID_INPUT", `MACD needs fast < slow (got fast ${f}, slow ${s}); the defaults are 12 and 26.`);
      const m = macd(close, f, s, g);
      return { key: `macd(${f},${s},${g})`, name: "macd", params: { fast: f, slow: s, signal: g }, series: { macd: m.macd, signal: m.signal, histogram: m.histogram }, warmup: INDICATOR_WARMUP.macd(f, s, g) };
    }
    case "bollinger": {
      const p = req.period ?? 20;
      const k = req.stdDev ?? 2;
      const b = bollinger(close, p, k);
      return { key: `bollinger(${p},${k})`, name: "bollinger", params: { period: p, stdDev: k }, series: { ...b }, warmup: INDICATOR_WARMUP.bollinger(p) };
    }
    case "atr": {
      const p = req.period ?? 14;
      return { key: `atr(${p})`, name: "atr", params: { period: p }, series: { value: atr(high, low, close, p) }, warmup: INDICATOR_WARMUP.atr(p) };
    }
    case "vwap":
      return { key: "vwap(session)", name: "vwap", params: {}, series: { value: vwap(high, low, close, volume, sessions) }, warmup: INDICATOR_WARMUP.vwap() };
    case "obv":
      return { key: "obv", name: "obv", params: {}, series: { value: obv(close, volume) }, warmup: INDICATOR_WARMUP.obv() };
    case "roc": {
      const p = req.period ?? 12;
      return { key: `roc(${p})`, name: "roc", params: { period: p }, series: { value: roc(close, p) }, warmup: INDICATOR_WARMUP.roc(p) };
    }
    case "stochastic": {
      const p = req.period ?? 14;
      const d = req.signal ?? 3;
      const st = stochastic(high, low, close, p, d);
      return { key: `stochastic(${p},${d})`, name: "stochastic", params: { period: p, signal: d }, series: { k: st.k, d: st.d }, warmup: INDICATOR_WARMUP.stochastic(p, d) };
    }
    case "adx": {
      const p = req.period ?? 14;
      const a = adx(high, low, close, p);
      return { key: `adx(${p})`, name: "adx", params: { period: p }, series: { adx: a.adx, plusDI: a.plusDI, minusDI: a.minusDI }, warmup: INDICATOR_WARMUP.adx(p) };
    }
  }
}

/** The first index with every output series defined, or -1 when none is. */
export function firstDefined(out: IndicatorOutput): number {
  const n = Object.values(out.series)[0]?.length ?? 0;
  for (let i = 0; i < n; i++) {
    if (Object.values(out.series).every((s) => !Number.isNaN(s[i]!))) return i;
  }
  return -1;
}
