export const STRATEGIES = ["vwap", "rsi", "momentum"] as const;
export type StrategyName = (typeof STRATEGIES)[number];
export type Action = "BUY" | "SELL" | "HOLD";

/** One strategy's opinion, with the exact numbers and thresholds it was formed from. */
export interface Vote {
  strategy: StrategyName;
  vote: Action;
  /** 0..1: how strongly the evidence points that way (0 for HOLD). */
  confidence: number;
  values: Record<string, number | null>;
  thresholds: Record<string, number>;
  reason: string;
}

export function direction(action: Action): 1 | 0 | -1 {
  return action === "BUY" ? 1 : action === "SELL" ? -1 : 0;
}

export function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

export function round(x: number | null, digits = 6): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
