import { z } from "zod";
import type { Analysis } from "../../src/analysis/analysis-engine.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { sourceOut, sourceShape, syntheticLabel, timeField } from "../data/shapes.js";
import { defineTool } from "../spec.js";
import { actionShape, barsUsedShape, evidenceShape, regimeShape, voteShape, weightsShape } from "./shapes.js";

export const analysisOutput = z.object({
  analysisId: z.string().describe("Id of the logged analysis: pass it to explain_signal"),
  symbol: z.string(),
  asOf: timeField,
  decision: actionShape,
  decisionRule: z.string(),
  confidence: z.number().describe("|ensemble score|, 0..1"),
  probability: z.number().nullable().describe("Calibrated P(return over horizonDays > 0); null without a model or history"),
  modelVersion: z.string().nullable(),
  horizonDays: z.number().int(),
  entry: z.number(),
  stop: z.number().nullable().describe("ATR-based protective stop (BUY/SELL only)"),
  targets: z.array(z.number()),
  riskReward: z.number().nullable(),
  regime: regimeShape,
  votes: z.array(voteShape),
  ensemble: z.object({ action: actionShape, score: z.number(), confidence: z.number(), agreement: z.number().int(), weights: weightsShape, threshold: z.number() }),
  weightSetId: z.string().nullable().describe("Recorded weight set in force, or null for the configured defaults"),
  indicators: z.record(z.string(), z.number().nullable()),
  evidence: z.array(evidenceShape),
  bars: barsUsedShape,
  source: sourceShape,
  rationale: z.string(),
  disclaimer: z.string(),
});

export function analysisOut(a: Analysis): z.input<typeof analysisOutput> {
  return {
    analysisId: a.analysisId,
    symbol: a.symbol,
    asOf: toExchangeIso(a.asOf),
    decision: a.decision,
    decisionRule: a.decisionRule,
    confidence: a.confidence,
    probability: a.probability,
    modelVersion: a.modelVersion,
    horizonDays: a.horizonDays,
    entry: a.entry,
    stop: a.stop,
    targets: a.targets,
    riskReward: a.riskReward,
    regime: { regime: a.regime.regime, reason: a.regime.reason, metrics: a.regime.metrics, thresholds: a.regime.thresholds },
    votes: a.votes,
    ensemble: a.ensemble,
    weightSetId: a.weightSetId,
    indicators: a.indicators,
    evidence: a.evidence.map((e) => ({ claim: e.claim, source: { ...e.source, at: e.source.at === null ? null : toExchangeIso(e.source.at) } })),
    bars: { timeframe: a.bars.timeframe, from: toExchangeIso(a.bars.from), to: toExchangeIso(a.bars.to), count: a.bars.count, dataHash: a.bars.dataHash },
    source: sourceOut(a.source),
    rationale: a.rationale,
    disclaimer: a.disclaimer,
  };
}

export const analyzeTicker = defineTool({
  name: "analyze_ticker",
  title: "Analyze a ticker",
  description:
    "Runs Argus's signal on a symbol's daily bars as of now: regime, three strategy votes (VWAP, RSI, momentum) with the exact values and thresholds, " +
    "a weighted ensemble, a calibrated probability of a positive return over the horizon, and a decision with entry, ATR stop, targets and risk/reward. " +
    "Every analysis is logged with the bars' hash; pass the returned analysisId to explain_signal. Research, not advice.",
  input: z.object({ symbol: symbolSchema }),
  output: analysisOutput,
  // Writes a row to the analysis log; it never trades.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(input, { app }) {
    return analysisOut(await app.analysis.analyze(input.symbol));
  },
  summarize(o) {
    const p = o.probability === null ? "no model probability" : `P(up over ${o.horizonDays}d) ${o.probability.toFixed(3)}`;
    const levels = o.stop !== null ? `, stop ${o.stop}, targets ${o.targets.join("/")}` : "";
    return `${syntheticLabel(o.source)}${o.symbol} ${o.decision} (confidence ${o.confidence.toFixed(2)}, ${p}) at ${o.entry}${levels}; regime ${o.regime.regime}; votes ${o.votes.map((v) => `${v.strategy} ${v.vote}`).join(", ")}. Analysis ${o.analysisId}. ${o.disclaimer}`;
  },
});
