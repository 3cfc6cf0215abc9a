import type { AnalysisRow } from "../db/schema.js";
import { normalizeWeights, type Weights } from "./strategies/ensemble.js";
import { direction, STRATEGIES, type StrategyName, type Vote } from "./strategies/vote.js";
import { expectedMove } from "./outcomes.js";

export interface StrategyEvidence {
  samples: number;
  hitRate: number | null;
  /** Mean of direction × return / σ_N over the strategy's non-HOLD votes. */
  meanEdge: number | null;
  rawWeight: number;
  weight: number;
}

export interface WeightProposal {
  regime: string;
  sampleSize: number;
  sufficient: boolean;
  weights: Weights;
  evidence: Record<StrategyName, StrategyEvidence>;
  method: string;
}

/**
 * Re-weights the strategies for one regime from scored analyses. Each strategy's edge is
 * its mean volatility-scaled directional return when it voted; only positive edges earn
 * weight. With n votes, the data-driven weight is shrunk toward the default by
 * n / (n + k), k = the minimum sample, so a handful of lucky calls cannot take over.
 * Below the minimum sample in total, the defaults stand.
 */
export function proposeWeights(regime: string, rows: readonly AnalysisRow[], defaults: Weights, minSample: number): WeightProposal {
  const base = normalizeWeights(defaults);
  const stats = Object.fromEntries(STRATEGIES.map((s) => [s, { n: 0, hits: 0, edge: 0 }])) as Record<StrategyName, { n: number; hits: number; edge: number }>;
  for (const row of rows) {
    if (row.realizedReturn === null) continue;
    const sigma = expectedMove(row);
    for (const v of row.votes as Vote[]) {
      const d = direction(v.vote);
      if (d === 0) continue;
      const s = stats[v.strategy];
      if (!s) continue;
      s.n++;
      s.edge += (d * row.realizedReturn) / sigma;
      if (d * row.realizedReturn > 0) s.hits++;
    }
  }
  const method = `positive mean edge, shrunk toward defaults by n/(n+${minSample})`;
  const sufficient = rows.length >= minSample;
  const positive = Object.fromEntries(STRATEGIES.map((s) => [s, stats[s].n > 0 ? Math.max(0, stats[s].edge / stats[s].n) : 0])) as Weights;
  const totalPositive = STRATEGIES.reduce((t, s) => t + positive[s], 0);
  const raw = totalPositive > 0 ? normalizeWeights(positive) : base;
  const shrunk = Object.fromEntries(
    STRATEGIES.map((s) => {
      const n = stats[s].n;
      const lambda = sufficient ? n / (n + minSample) : 0;
      return [s, lambda * raw[s] + (1 - lambda) * base[s]];
    }),
  ) as Weights;
  const weights = normalizeWeights(shrunk);
  const evidence = Object.fromEntries(
    STRATEGIES.map((s) => [
      s,
      {
        samples: stats[s].n,
        hitRate: stats[s].n > 0 ? stats[s].hits / stats[s].n : null,
        meanEdge: stats[s].n > 0 ? stats[s].edge / stats[s].n : null,
        rawWeight: raw[s],
        weight: weights[s],
      },
    ]),
  ) as Record<StrategyName, StrategyEvidence>;
  return { regime, sampleSize: rows.length, sufficient, weights, evidence, method };
}
