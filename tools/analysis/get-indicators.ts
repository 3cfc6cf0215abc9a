import { z } from "zod";
import { indicatorRequestSchema, INDICATOR_NAMES } from "../../src/analysis/indicator-catalog.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { sourceOut, sourceShape, syntheticLabel, timeField } from "../data/shapes.js";
import { defineTool, READ_ONLY } from "../spec.js";

const DEFAULT_SET = ["rsi", "macd", "bollinger", "atr", "adx", "sma", "ema", "roc", "stochastic", "obv", "vwap"] as const;

export const getIndicators = defineTool({
  name: "get_indicators",
  title: "Technical indicators",
  description:
    "Technical indicators for a symbol, computed from its bars up to now: SMA, EMA, RSI (Wilder), MACD, Bollinger Bands, ATR, session VWAP, OBV, rate of change, stochastic, ADX. " +
    "Ask for several with their periods; returns the latest values and the last `limit` points of each series with their bar times. Warm-up points are null.",
  input: z.object({
    symbol: symbolSchema,
    timeframe: timeframeSchema.default("1Day"),
    indicators: z.array(indicatorRequestSchema).min(1).max(20).optional().describe(`Which indicators (default: all eleven with default periods): ${INDICATOR_NAMES.join(", ")}`),
    limit: z.number().int().positive().max(2000).default(30).describe("How many of the latest points of each series to return"),
    to: z.string().optional().describe("Compute as of this date/time instead of now (YYYY-MM-DD or ISO)"),
  }),
  output: z.object({
    symbol: z.string(),
    timeframe: timeframeSchema,
    bars: z.object({ from: timeField, to: timeField, count: z.number().int() }),
    times: z.array(timeField),
    indicators: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        params: z.record(z.string(), z.number()),
        warmup: z.number().int().describe("Bars before the first value"),
        latest: z.record(z.string(), z.number().nullable()),
        series: z.record(z.string(), z.array(z.number().nullable())),
      }),
    ),
    source: sourceShape,
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const requests = input.indicators ?? DEFAULT_SET.map((name) => ({ name }));
    const r = app.analysis.indicators({ symbol: input.symbol, timeframe: input.timeframe, indicators: requests, limit: input.limit, ...(input.to ? { to: input.to } : {}) });
    return {
      symbol: r.symbol,
      timeframe: r.timeframe,
      bars: { from: toExchangeIso(r.bars.from), to: toExchangeIso(r.bars.to), count: r.bars.count },
      times: r.times.map(toExchangeIso),
      indicators: r.indicators,
      source: sourceOut(r.source),
    };
  },
  summarize(o) {
    const parts = o.indicators.map((i) => {
      const vals = Object.entries(i.latest).map(([k, v]) => (Object.keys(i.latest).length === 1 ? fmt(v) : `${k} ${fmt(v)}`));
      return `${i.key} ${vals.join(", ")}`;
    });
    return `${syntheticLabel(o.source)}${o.symbol} ${o.timeframe} as of ${o.bars.to}: ${parts.join("; ")}.`;
  },
});

function fmt(v: number | null): string {
  return v === null ? "n/a" : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(5);
}
