import type { ArgusConfig } from "../core/config.js";
import { adx } from "./indicators/index.js";
import { last, realizedVolatility, type Columns } from "./series.js";

export const REGIMES = ["TRENDING", "MEAN_REVERTING", "CHOPPY", "PANIC"] as const;
export type Regime = (typeof REGIMES)[number];

export interface RegimeResult {
  regime: Regime;
  reason: string;
  metrics: {
    adx: number | null;
    efficiencyRatio: number | null;
    volatility20: number | null;
    volatilityMedian252: number | null;
    drawdown252: number | null;
  };
  thresholds: ArgusConfig["analysis"]["regime"];
}

/** Kaufman's efficiency ratio: net move over the path length; 1 = straight line, 0 = going nowhere. */
function efficiencyRatio(close: Float64Array, window: number): number | null {
  const n = close.length;
  if (n <= window) return null;
  let path = 0;
  for (let i = n - window; i < n; i++) path += Math.abs(close[i]! - close[i - 1]!);
  return path === 0 ? 0 : Math.abs(close[n - 1]! - close[n - 1 - window]!) / path;
}

function medianVolatility(close: Float64Array, window: number, span: number): number | null {
  const n = close.length;
  if (n - 1 < window + span) return null;
  const vols: number[] = [];
  for (let end = n - span; end < n; end += 5) {
    const v = realizedVolatility(close, window, end);
    if (v !== null) vols.push(v);
  }
  vols.sort((a, b) => a - b);
  return vols.length === 0 ? null : vols[Math.floor(vols.length / 2)]!;
}

/**
 * The market regime of one symbol from its daily bars, checked in this order:
 * PANIC (extreme volatility, or a deep drawdown with volatility well above its norm),
 * TRENDING (strong ADX), MEAN_REVERTING (weak ADX and an inefficient, back-and-forth
 * path), else CHOPPY. Every threshold comes from configuration and is returned with
 * the metrics, so the classification can be explained and reproduced.
 */
export function classifyRegime(cols: Columns, thresholds: ArgusConfig["analysis"]["regime"]): RegimeResult {
  const close = cols.close;
  const metrics: RegimeResult["metrics"] = {
    adx: last(adx(cols.high, cols.low, close, 14).adx),
    efficiencyRatio: efficiencyRatio(close, 20),
    volatility20: realizedVolatility(close, 20),
    volatilityMedian252: medianVolatility(close, 20, 252),
    drawdown252: null,
  };
  if (close.length > 0) {
    let peak = -Infinity;
    for (let i = Math.max(0, close.length - 252); i < close.length; i++) peak = Math.max(peak, close[i]!);
    metrics.drawdown252 = 1 - close[close.length - 1]! / peak;
  }
  const { adx: a, efficiencyRatio: er, volatility20: vol, volatilityMedian252: volMed, drawdown252: dd } = metrics;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (vol !== null && vol >= thresholds.panicVolatility) {
    return { regime: "PANIC", reason: `20-session volatility ${pct(vol)} ≥ ${pct(thresholds.panicVolatility)}`, metrics, thresholds };
  }
  if (vol !== null && volMed !== null && dd !== null && dd >= thresholds.panicDrawdown && vol >= thresholds.panicVolRatio * volMed) {
    return {
      regime: "PANIC",
      reason: `drawdown ${pct(dd)} ≥ ${pct(thresholds.panicDrawdown)} with volatility ${pct(vol)} ≥ ${thresholds.panicVolRatio}× its one-year median ${pct(volMed)}`,
      metrics,
      thresholds,
    };
  }
  if (a !== null && a >= thresholds.adxTrending) {
    return { regime: "TRENDING", reason: `ADX ${a.toFixed(1)} ≥ ${thresholds.adxTrending}`, metrics, thresholds };
  }
  if (a !== null && er !== null && a < thresholds.adxRanging && er < thresholds.efficiencyRanging) {
    return { regime: "MEAN_REVERTING", reason: `ADX ${a.toFixed(1)} < ${thresholds.adxRanging} and efficiency ratio ${er.toFixed(2)} < ${thresholds.efficiencyRanging}`, metrics, thresholds };
  }
  return { regime: "CHOPPY", reason: a === null ? "not enough history for ADX" : `ADX ${a.toFixed(1)} between the ranging and trending thresholds, or a directional path`, metrics, thresholds };
}
