import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { syntheticLabel, timeField } from "../data/shapes.js";
import { defineTool, READ_ONLY } from "../spec.js";
import { actionShape, evidenceShape, voteShape, weightsShape } from "./shapes.js";

export const explainSignal = defineTool({
  name: "explain_signal",
  title: "Explain a logged analysis",
  description:
    "Everything behind a logged analysis, by its analysisId: each strategy vote with its values and thresholds, the weights, the regime and its metrics, " +
    "the probability with the model version, the exact bars used (range and SHA-256, re-checked against the database now), the levels, and the outcome once scored.",
  input: z.object({ analysisId: z.string().min(1).max(100) }),
  output: z.object({
    analysisId: z.string(),
    symbol: z.string(),
    asOf: timeField,
    clock: z.string(),
    decision: actionShape,
    confidence: z.number(),
    ensembleScore: z.number(),
    rationale: z.string(),
    votes: z.array(voteShape),
    weights: weightsShape,
    weightSetId: z.string().nullable(),
    regime: z.string(),
    regimeDetail: z.object({ reason: z.string(), metrics: z.record(z.string(), z.number().nullable()), thresholds: z.record(z.string(), z.number()) }),
    probability: z.number().nullable(),
    modelVersion: z.string().nullable(),
    horizonDays: z.number().int(),
    indicators: z.record(z.string(), z.number().nullable()),
    levels: z.object({ entry: z.number(), stop: z.number().nullable(), targets: z.array(z.number()), riskReward: z.number().nullable() }),
    bars: z.object({
      timeframe: z.string(),
      from: timeField,
      to: timeField,
      count: z.number().int(),
      dataHash: z.string(),
      source: z.string(),
      synthetic: z.boolean(),
      stillMatches: z.boolean().describe("The same bars re-read now hash to the logged value"),
    }),
    outcome: z
      .object({ scoredAt: timeField, exitTime: timeField, exitPrice: z.number(), realizedReturn: z.number(), outcome: z.string(), successScore: z.number() })
      .nullable(),
    llm: z
      .object({ provider: z.string().nullable(), model: z.string().nullable(), inputTokens: z.number().nullable(), outputTokens: z.number().nullable(), latencyMs: z.number().nullable(), costUsd: z.number().nullable() })
      .nullable(),
    evidence: z.array(evidenceShape),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const row = app.analysis.get(input.analysisId);
    const votes = row.votes as z.infer<typeof voteShape>[];
    const detail = row.regimeDetail as { reason: string; metrics: Record<string, number | null>; thresholds: Record<string, number> };
    return {
      analysisId: row.id,
      symbol: row.symbol,
      asOf: toExchangeIso(row.asOf),
      clock: row.clockKind,
      decision: row.decision as "BUY" | "SELL" | "HOLD",
      confidence: row.confidence,
      ensembleScore: row.ensembleScore,
      rationale: row.rationale,
      votes,
      weights: row.weights as { vwap: number; rsi: number; momentum: number },
      weightSetId: row.weightSetId,
      regime: row.regime,
      regimeDetail: detail,
      probability: row.probability,
      modelVersion: row.modelVersion,
      horizonDays: row.horizonDays,
      indicators: row.indicators as Record<string, number | null>,
      levels: { entry: row.entry, stop: row.stop, targets: row.targets as number[], riskReward: row.riskReward },
      bars: {
        timeframe: row.timeframe,
        from: toExchangeIso(row.barFrom),
        to: toExchangeIso(row.barTo),
        count: row.barCount,
        dataHash: row.dataHash,
        source: row.dataSource,
        synthetic: row.synthetic,
        stillMatches: app.analysis.barsStillMatch(row),
      },
      outcome:
        row.scoredAt === null
          ? null
          : { scoredAt: toExchangeIso(row.scoredAt), exitTime: toExchangeIso(row.exitTime!), exitPrice: row.exitPrice!, realizedReturn: row.realizedReturn!, outcome: row.outcome!, successScore: row.successScore! },
      llm:
        row.llmProvider === null
          ? null
          : { provider: row.llmProvider, model: row.llmModel, inputTokens: row.llmInputTokens, outputTokens: row.llmOutputTokens, latencyMs: row.llmLatencyMs, costUsd: row.llmCostUsd },
      evidence: [
        ...votes.map((v) => ({ claim: `${v.strategy} ${v.vote}: ${v.reason}`, source: { kind: "indicator" as const, name: v.strategy, value: v.vote, at: toExchangeIso(row.barTo) } })),
        { claim: `Regime ${row.regime}: ${detail.reason}`, source: { kind: "regime" as const, name: "regime", value: row.regime, at: toExchangeIso(row.barTo) } },
        ...(row.probability === null ? [] : [{ claim: `P(up over ${row.horizonDays}d) = ${row.probability.toFixed(3)}`, source: { kind: "model" as const, name: row.modelVersion ?? "model", value: row.probability, at: toExchangeIso(row.barTo) } }]),
      ],
    };
  },
  summarize(o) {
    const out = o.outcome ? ` Outcome: ${o.outcome.outcome} (${(o.outcome.realizedReturn * 100).toFixed(2)}%).` : " Not scored yet.";
    const check = o.bars.stillMatches ? "bars unchanged" : "WARNING: the bars have changed since";
    return `${syntheticLabel(o.bars)}${o.symbol} ${o.decision} as of ${o.asOf} from ${o.bars.count} daily bars ${o.bars.from.slice(0, 10)}..${o.bars.to.slice(0, 10)} (${check}). ${o.rationale}${out}`;
  },
});
