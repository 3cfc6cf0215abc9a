import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeField } from "../data/shapes.js";
import { defineTool, READ_ONLY } from "../spec.js";
import { actionShape, weightsShape } from "./shapes.js";

export const listAnalyses = defineTool({
  name: "list_analyses",
  title: "List logged analyses",
  description: "The analysis log, newest first: id, symbol, time, decision, probability, regime and, once scored, the outcome. Filter by symbol, decision or scored state.",
  input: z.object({
    symbol: symbolSchema.optional(),
    decision: actionShape.optional(),
    scored: z.boolean().optional().describe("true: only scored; false: only awaiting their horizon"),
    limit: z.number().int().positive().max(500).default(20),
  }),
  output: z.object({
    count: z.number().int(),
    analyses: z.array(
      z.object({
        analysisId: z.string(),
        symbol: z.string(),
        asOf: timeField,
        decision: actionShape,
        confidence: z.number(),
        probability: z.number().nullable(),
        regime: z.string(),
        entry: z.number(),
        synthetic: z.boolean(),
        outcome: z.string().nullable(),
        realizedReturn: z.number().nullable(),
        successScore: z.number().nullable(),
      }),
    ),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const rows = app.analysis.list({ limit: input.limit, ...(input.symbol ? { symbol: input.symbol } : {}), ...(input.decision ? { decision: input.decision } : {}), ...(input.scored !== undefined ? { scored: input.scored } : {}) });
    return {
      count: rows.length,
      analyses: rows.map((r) => ({
        analysisId: r.id,
        symbol: r.symbol,
        asOf: toExchangeIso(r.asOf),
        decision: r.decision as "BUY" | "SELL" | "HOLD",
        confidence: r.confidence,
        probability: r.probability,
        regime: r.regime,
        entry: r.entry,
        synthetic: r.synthetic,
        outcome: r.outcome,
        realizedReturn: r.realizedReturn,
        successScore: r.successScore,
      })),
    };
  },
  summarize(o) {
    if (o.count === 0) return "No analyses logged yet; analyze_ticker writes one.";
    return `${o.count} analyses: ${o.analyses.slice(0, 10).map((a) => `${a.symbol} ${a.decision} ${a.asOf.slice(0, 10)}${a.outcome ? ` → ${a.outcome}` : ""}`).join("; ")}${o.count > 10 ? "; …" : ""}.`;
  },
});

export const scoreOutcomes = defineTool({
  name: "score_outcomes",
  title: "Score analysis outcomes",
  description:
    "Fills the outcome of every logged analysis whose horizon has passed: the realised return from its entry to the close `horizonDays` sessions later, " +
    "CORRECT/WRONG, and a volatility-scaled success score in −1..1. Uses only bars the clock allows; the rest stay pending.",
  input: z.object({ symbol: symbolSchema.optional(), limit: z.number().int().positive().max(10_000).default(1000) }),
  output: z.object({
    scoredCount: z.number().int(),
    pending: z.number().int().describe("Analyses whose horizon has not passed or whose exit bar is missing"),
    correct: z.number().int(),
    meanSuccessScore: z.number().nullable(),
    scored: z.array(z.object({ analysisId: z.string(), symbol: z.string(), decision: z.string(), realizedReturn: z.number(), outcome: z.string(), successScore: z.number() })),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run(input, { app }) {
    const r = app.analysis.scoreOutcomes({ limit: input.limit, ...(input.symbol ? { symbol: input.symbol } : {}) });
    const correct = r.scored.filter((s) => s.outcome === "CORRECT").length;
    const mean = r.scored.length > 0 ? r.scored.reduce((t, s) => t + s.successScore, 0) / r.scored.length : null;
    return { scoredCount: r.scored.length, pending: r.pending, correct, meanSuccessScore: mean, scored: r.scored };
  },
  summarize(o) {
    return o.scoredCount === 0
      ? `Nothing to score yet (${o.pending} pending).`
      : `Scored ${o.scoredCount} analyses: ${o.correct} correct, mean success ${o.meanSuccessScore!.toFixed(3)}; ${o.pending} still pending.`;
  },
});

const evidenceEntry = z.object({ samples: z.number().int(), hitRate: z.number().nullable(), meanEdge: z.number().nullable(), rawWeight: z.number(), weight: z.number() });

export const optimizeWeights = defineTool({
  name: "optimize_weights",
  title: "Re-weight the strategies per regime",
  description:
    "Re-weights the VWAP, RSI and momentum strategies for each regime from scored analyses (run score_outcomes first). Only positive edges earn weight, " +
    "and the result is shrunk toward the configured defaults by n/(n+k); regimes with fewer scored analyses than the minimum keep the defaults. " +
    "Each recorded weight set applies to later analyses in its regime.",
  input: z.object({}),
  output: z.object({
    regimes: z.array(
      z.object({
        regime: z.string(),
        sampleSize: z.number().int(),
        sufficient: z.boolean(),
        weightSetId: z.string().nullable(),
        weights: weightsShape,
        method: z.string(),
        evidence: z.object({ vwap: evidenceEntry, rsi: evidenceEntry, momentum: evidenceEntry }),
      }),
    ),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  run(_input, { app }) {
    return { regimes: app.analysis.optimizeWeights() };
  },
  summarize(o) {
    return o.regimes
      .map((r) => (r.sufficient ? `${r.regime}: vwap ${r.weights.vwap.toFixed(2)}, rsi ${r.weights.rsi.toFixed(2)}, momentum ${r.weights.momentum.toFixed(2)} (n=${r.sampleSize})` : `${r.regime}: defaults (n=${r.sampleSize} too few)`))
      .join("; ");
  },
});
