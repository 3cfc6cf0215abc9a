import { clamp01, round, type Vote } from "./vote.js";

export const MOMENTUM_THRESHOLDS = { crossLookback: 3, volumeConfirm: 1.2 };

export interface MomentumInputs {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
  volume: Float64Array;
  volumeSma20: Float64Array;
  roc: number | null;
  atr: number | null;
  price: number;
}

/**
 * Momentum: a MACD crossover in the last few bars, confirmed by volume above 1.2× its
 * 20-bar average on the crossover bar and by a rate of change on the same side, is a
 * vote with conviction. Without a fresh confirmed crossover, MACD above (below) its
 * signal with a positive (negative) ROC is a weak vote in that direction.
 */
export function momentumVote(x: MomentumInputs): Vote {
  const n = x.macd.length;
  const hist = n > 0 ? x.histogram[n - 1]! : NaN;
  let crossIndex = -1;
  let crossDirection = 0;
  for (let i = n - 1; i >= Math.max(1, n - MOMENTUM_THRESHOLDS.crossLookback); i--) {
    const now = x.histogram[i]!;
    const before = x.histogram[i - 1]!;
    if (Number.isNaN(now) || Number.isNaN(before)) break;
    if (before <= 0 && now > 0) {
      crossIndex = i;
      crossDirection = 1;
      break;
    }
    if (before >= 0 && now < 0) {
      crossIndex = i;
      crossDirection = -1;
      break;
    }
  }
  const volumeRatio = crossIndex >= 1 && x.volumeSma20[crossIndex - 1]! > 0 ? x.volume[crossIndex]! / x.volumeSma20[crossIndex - 1]! : null;
  const base = {
    strategy: "momentum" as const,
    values: {
      macd: round(n > 0 ? x.macd[n - 1]! : null),
      signal: round(n > 0 ? x.signal[n - 1]! : null),
      histogram: round(Number.isNaN(hist) ? null : hist),
      roc: round(x.roc, 4),
      crossBarsAgo: crossIndex >= 0 ? n - 1 - crossIndex : null,
      crossVolumeRatio: round(volumeRatio, 4),
    },
    thresholds: { ...MOMENTUM_THRESHOLDS },
  };
  if (Number.isNaN(hist) || x.roc === null) return { ...base, vote: "HOLD", confidence: 0, reason: "MACD or rate of change is still warming up" };
  const strength = x.atr && x.atr > 0 ? clamp01(Math.abs(hist) / x.atr) : 0;
  if (crossDirection !== 0) {
    const confirmedByVolume = volumeRatio !== null && volumeRatio >= MOMENTUM_THRESHOLDS.volumeConfirm;
    const rocAgrees = Math.sign(x.roc) === crossDirection;
    const side = crossDirection > 0 ? "above" : "below";
    if (confirmedByVolume && rocAgrees) {
      return {
        ...base,
        vote: crossDirection > 0 ? "BUY" : "SELL",
        confidence: clamp01(0.6 + 0.4 * strength),
        reason: `MACD crossed ${side} its signal ${n - 1 - crossIndex} bar(s) ago on ${volumeRatio!.toFixed(2)}× average volume, ROC ${x.roc.toFixed(2)}% agrees`,
      };
    }
    return {
      ...base,
      vote: "HOLD",
      confidence: 0,
      reason: `MACD crossed ${side} its signal but ${!confirmedByVolume ? `volume ${volumeRatio?.toFixed(2) ?? "n/a"}× < ${MOMENTUM_THRESHOLDS.volumeConfirm}×` : `ROC ${x.roc.toFixed(2)}% disagrees`}: unconfirmed`,
    };
  }
  if (hist > 0 && x.roc > 0) return { ...base, vote: "BUY", confidence: clamp01(0.25 + 0.25 * strength), reason: `MACD above its signal and ROC ${x.roc.toFixed(2)}% > 0 (no fresh crossover)` };
  if (hist < 0 && x.roc < 0) return { ...base, vote: "SELL", confidence: clamp01(0.25 + 0.25 * strength), reason: `MACD below its signal and ROC ${x.roc.toFixed(2)}% < 0 (no fresh crossover)` };
  return { ...base, vote: "HOLD", confidence: 0, reason: "MACD and rate of change point different ways" };
}
