import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { defineTool, READ_ONLY } from "../spec.js";
import { barOut, barShape, sourceOut, sourceShape, syntheticLabel } from "./shapes.js";

export const getBars = defineTool({
  name: "get_bars",
  title: "Price bars (OHLCV)",
  description:
    "Historical OHLCV bars for one symbol. Timeframes: 1Min, 5Min, 15Min, 1Hour, 1Day (default). " +
    "With `from`, returns up to `limit` bars starting there (page on with the last bar's time); without `from`, returns the latest `limit` bars up to `to` (or now). " +
    "Dates may be YYYY-MM-DD (New York exchange days) or ISO date-times. Only completed bars are returned. " +
    "Intraday sizes are rolled up from 1-minute bars when not stored. Check `source.synthetic`: demo symbols (*.DEMO) are generated data.",
  input: z.object({
    symbol: symbolSchema,
    timeframe: timeframeSchema.default("1Day"),
    from: z.string().optional().describe("Start, inclusive: YYYY-MM-DD or ISO date-time"),
    to: z.string().optional().describe("End, inclusive: YYYY-MM-DD or ISO date-time (default: now)"),
    limit: z.number().int().positive().default(1000).describe("Maximum bars to return (default 1000; the server caps it, 20,000 unless configured)"),
  }),
  output: z.object({
    symbol: z.string(),
    timeframe: timeframeSchema,
    count: z.number().int(),
    first: z.string().nullable(),
    last: z.string().nullable(),
    truncated: z.boolean().describe("More bars exist past the limit; page with from/to"),
    aggregatedFrom: timeframeSchema.optional(),
    source: sourceShape,
    bars: z.array(barShape),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const r = app.data.getBars(input);
    const first = r.bars[0];
    const last = r.bars[r.bars.length - 1];
    return {
      symbol: r.symbol,
      timeframe: r.timeframe,
      count: r.bars.length,
      first: first ? toExchangeIso(first.t) : null,
      last: last ? toExchangeIso(last.t) : null,
      truncated: r.truncated,
      ...(r.aggregatedFrom ? { aggregatedFrom: r.aggregatedFrom } : {}),
      source: sourceOut(r.source),
      bars: r.bars.map(barOut),
    };
  },
  summarize(o) {
    if (o.count === 0) return `${syntheticLabel(o.source)}No ${o.timeframe} bars for ${o.symbol} in that range.`;
    const first = o.bars[0]!;
    const last = o.bars[o.bars.length - 1]!;
    const change = ((last.close / first.open - 1) * 100).toFixed(2);
    let hi = -Infinity;
    let lo = Infinity;
    for (const b of o.bars) {
      if (b.high > hi) hi = b.high;
      if (b.low < lo) lo = b.low;
    }
    return (
      `${syntheticLabel(o.source)}${o.count} ${o.timeframe} bars for ${o.symbol} from ${o.first} to ${o.last}` +
      `${o.aggregatedFrom ? ` (rolled up from ${o.aggregatedFrom})` : ""}: open ${first.open}, last close ${last.close} (${change}%), ` +
      `range ${lo}–${hi}.${o.truncated ? " More bars exist; page with from/to." : ""}`
    );
  },
});
