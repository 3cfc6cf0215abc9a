import { direction, STRATEGIES, type Action, type StrategyName, type Vote } from "./vote.js";

export type Weights = Record<StrategyName, number>;

export interface EnsembleResult {
  action: Action;
  /** Weighted vote, −1 (all strongly SELL) .. +1 (all strongly BUY). */
  score: number;
  /** |score|: how decisive the weighted vote is. */
  confidence: number;
  /** Strategies that voted the same way as the action (for HOLD: those that held). */
  agreement: number;
  weights: Weights;
  threshold: number;
}

/** Weights scaled to sum to 1 (all equal when they sum to 0). */
export function normalizeWeights(w: Weights): Weights {
  const total = STRATEGIES.reduce((s, k) => s + w[k], 0);
  return Object.fromEntries(STRATEGIES.map((k) => [k, total > 0 ? w[k] / total : 1 / STRATEGIES.length])) as Weights;
}

/**
 * Weighted ensemble: score = Σ weight × direction × confidence over the strategies.
 * The action leaves HOLD only when |score| reaches the threshold, so one lukewarm
 * vote against two holds does not trade.
 */
export function ensemble(votes: readonly Vote[], weights: Weights, threshold: number): EnsembleResult {
  const w = normalizeWeights(weights);
  let score = 0;
  for (const v of votes) score += w[v.strategy] * direction(v.vote) * v.confidence;
  const action: Action = score >= threshold ? "BUY" : score <= -threshold ? "SELL" : "HOLD";
  return {
    action,
    score,
    confidence: Math.min(1, Math.abs(score)),
    agreement: votes.filter((v) => v.vote === action).length,
    weights: w,
    threshold,
  };
}
