import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { defineTool, READ_ONLY } from "../spec.js";
import { sourceOut, sourceShape, syntheticLabel, timeField } from "./shapes.js";

export const getLatestPrice = defineTool({
  name: "get_latest_price",
  title: "Latest price",
  description:
    "The most recent price Argus has for a symbol: the close of the latest completed bar, with when it was observed, " +
    "its age and whether it is stale (sessions have closed since). Always read `asOf` and `stale` before treating it as current.",
  input: z.object({ symbol: symbolSchema }),
  output: z.object({
    symbol: z.string(),
    price: z.number(),
    asOf: timeField.describe("When the price was observed: the end of its bar"),
    barStart: timeField,
    timeframe: timeframeSchema,
    ageSeconds: z.number().int(),
    sessionsSince: z.number().int().describe("Regular sessions that closed after the price"),
    stale: z.boolean(),
    marketPhase: z.enum(["pre", "regular", "post", "closed"]),
    source: sourceShape,
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const p = app.data.latestPrice(input.symbol);
    return {
      symbol: p.symbol,
      price: p.price,
      asOf: toExchangeIso(p.asOf),
      barStart: toExchangeIso(p.barStart),
      timeframe: p.timeframe,
      ageSeconds: Math.round(p.ageMs / 1000),
      sessionsSince: p.sessionsSince,
      stale: p.stale,
      marketPhase: app.data.marketStatus().phase,
      source: sourceOut(p.source),
    };
  },
  summarize(o) {
    const staleNote = o.stale ? ` STALE: ${o.sessionsSince} sessions have closed since.` : "";
    return `${syntheticLabel(o.source)}${o.symbol} last ${o.price} as of ${o.asOf} (${o.timeframe} close).${staleNote}`;
  },
});
