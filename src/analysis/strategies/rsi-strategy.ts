import { clamp01, round, type Vote } from "./vote.js";

/**
 * RSI mean reversion: BUY when RSI is below the oversold line, SELL above the
 * overbought line; confidence grows with the distance past the line (full at 15 points).
 */
export function rsiVote(rsiValue: number | null, thresholds: { oversold: number; overbought: number; period: number }): Vote {
  const base = { strategy: "rsi" as const, values: { rsi: round(rsiValue, 4) }, thresholds: { ...thresholds } };
  if (rsiValue === null) return { ...base, vote: "HOLD", confidence: 0, reason: `RSI(${thresholds.period}) is still warming up` };
  if (rsiValue < thresholds.oversold) {
    return { ...base, vote: "BUY", confidence: clamp01((thresholds.oversold - rsiValue) / 15 + 0.25), reason: `RSI ${rsiValue.toFixed(1)} < oversold ${thresholds.oversold}` };
  }
  if (rsiValue > thresholds.overbought) {
    return { ...base, vote: "SELL", confidence: clamp01((rsiValue - thresholds.overbought) / 15 + 0.25), reason: `RSI ${rsiValue.toFixed(1)} > overbought ${thresholds.overbought}` };
  }
  return { ...base, vote: "HOLD", confidence: 0, reason: `RSI ${rsiValue.toFixed(1)} between ${thresholds.oversold} and ${thresholds.overbought}` };
}
