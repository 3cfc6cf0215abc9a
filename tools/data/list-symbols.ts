import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { defineTool, READ_ONLY } from "../spec.js";

export const listSymbols = defineTool({
  name: "list_symbols",
  title: "List symbols",
  description:
    "The symbols Argus has price data for, with name, sector, data source (synthetic demo or imported) and, per timeframe, " +
    "how many bars and the first and last bar time. Filter by sector or a text query on ticker and name.",
  input: z.object({
    sector: z.string().optional().describe("Exact sector name, e.g. Information Technology (case-insensitive)"),
    query: z.string().max(64).optional().describe("Substring of the ticker or company name"),
  }),
  output: z.object({
    count: z.number().int(),
    symbols: z.array(
      z.object({
        symbol: z.string(),
        name: z.string().nullable(),
        sector: z.string().nullable(),
        exchange: z.string().nullable(),
        source: z.string(),
        synthetic: z.boolean(),
        note: z.string().nullable(),
        coverage: z.array(z.object({ timeframe: timeframeSchema, count: z.number().int(), first: z.string(), last: z.string() })),
      }),
    ),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const symbols = app.data.symbols(input).map((s) => ({
      ...s,
      coverage: s.coverage.map((c) => ({ timeframe: c.timeframe, count: c.count, first: toExchangeIso(c.firstT), last: toExchangeIso(c.lastT) })),
    }));
    return { count: symbols.length, symbols };
  },
  summarize(o) {
    if (o.count === 0) return "No symbols match. Import bars with import_bars_csv, or enable the demo dataset.";
    const synthetic = o.symbols.filter((s) => s.synthetic).length;
    const label = synthetic > 0 ? ` (${synthetic} SYNTHETIC demo symbols, not real prices)` : "";
    const sample = o.symbols.slice(0, 30).map((s) => s.symbol).join(", ");
    return `${o.count} symbols${label}: ${sample}${o.count > 30 ? ", …" : ""}.`;
  },
});
