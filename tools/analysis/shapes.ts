import { z } from "zod";
import { timeField } from "../data/shapes.js";

/** Output pieces shared by the analysis tools. */

export const actionShape = z.enum(["BUY", "SELL", "HOLD"]);

export const voteShape = z.object({
  strategy: z.enum(["vwap", "rsi", "momentum"]),
  vote: actionShape,
  confidence: z.number(),
  values: z.record(z.string(), z.number().nullable()),
  thresholds: z.record(z.string(), z.number()),
  reason: z.string(),
});

export const weightsShape = z.object({ vwap: z.number(), rsi: z.number(), momentum: z.number() });

export const regimeShape = z.object({
  regime: z.enum(["TRENDING", "MEAN_REVERTING", "CHOPPY", "PANIC"]),
  reason: z.string(),
  metrics: z.record(z.string(), z.number().nullable()),
  thresholds: z.record(z.string(), z.number()),
});

export const barsUsedShape = z.object({
  timeframe: z.string(),
  from: timeField,
  to: timeField,
  count: z.number().int(),
  dataHash: z.string().describe("SHA-256 of the bars used (t, OHLCV)"),
});

export const evidenceShape = z.object({
  claim: z.string(),
  source: z.object({
    kind: z.enum(["indicator", "regime", "model", "ensemble", "price"]),
    name: z.string(),
    value: z.union([z.number(), z.string()]).nullable(),
    at: timeField.nullable(),
  }),
});
