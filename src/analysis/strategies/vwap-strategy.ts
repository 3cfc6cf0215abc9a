import { clamp01, round, type Vote } from "./vote.js";

export const VWAP_THRESHOLDS = { minDeviationAtr: 0.25, maxDeviationAtr: 2 };

/**
 * VWAP trend-following: price holding above the volume-weighted average price means
 * buyers are in control (BUY), below means sellers are (SELL). Deviations are measured
 * in ATRs: too close to VWAP is noise (HOLD), too far is overextended (HOLD: chasing it
 * has poor reward for the risk). Confidence peaks at one ATR from VWAP.
 */
export function vwapVote(price: number, vwapValue: number | null, atrValue: number | null, vwapKind: string): Vote {
  const deviation = vwapValue !== null && atrValue !== null && atrValue > 0 ? (price - vwapValue) / atrValue : null;
  const base = {
    strategy: "vwap" as const,
    values: { price, vwap: round(vwapValue), atr: round(atrValue), deviationAtr: round(deviation, 4) },
    thresholds: { ...VWAP_THRESHOLDS },
  };
  if (deviation === null) return { ...base, vote: "HOLD", confidence: 0, reason: `${vwapKind} VWAP or ATR is not available yet` };
  const abs = Math.abs(deviation);
  const side = deviation > 0 ? "above" : "below";
  if (abs < VWAP_THRESHOLDS.minDeviationAtr) {
    return { ...base, vote: "HOLD", confidence: 0, reason: `price is within ${VWAP_THRESHOLDS.minDeviationAtr} ATR of the ${vwapKind} VWAP (${deviation.toFixed(2)} ATR)` };
  }
  if (abs > VWAP_THRESHOLDS.maxDeviationAtr) {
    return { ...base, vote: "HOLD", confidence: 0, reason: `price is ${abs.toFixed(2)} ATR ${side} the ${vwapKind} VWAP: overextended (> ${VWAP_THRESHOLDS.maxDeviationAtr} ATR)` };
  }
  const confidence = clamp01(abs <= 1 ? abs : 2 - abs + 0.5);
  return {
    ...base,
    vote: deviation > 0 ? "BUY" : "SELL",
    confidence,
    reason: `price is ${abs.toFixed(2)} ATR ${side} the ${vwapKind} VWAP`,
  };
}
