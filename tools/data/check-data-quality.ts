import { z } from "zod";
import { qualityReportSchema } from "../../src/data/quality/types.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { defineTool, READ_ONLY } from "../spec.js";

export const checkDataQuality = defineTool({
  name: "check_data_quality",
  title: "Check data quality",
  description:
    "Audits a symbol's stored bars before you rely on them: gaps against the NYSE calendar, duplicate timestamps, " +
    "non-positive prices, high below low, inconsistent OHLC, return outliers (robust z-score), bars outside sessions and a stale last bar. " +
    "One report per stored timeframe unless `timeframe` is given.",
  input: z.object({
    symbol: symbolSchema,
    timeframe: timeframeSchema.optional(),
  }),
  output: z.object({ symbol: z.string(), ok: z.boolean(), reports: z.array(qualityReportSchema) }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const reports = app.data.quality(input.symbol, input.timeframe);
    return { symbol: input.symbol, ok: reports.every((r) => r.ok), reports };
  },
  summarize(o) {
    if (o.reports.length === 0) return `${o.symbol} has no bars to check.`;
    return o.reports
      .map((r) => {
        const counts = Object.entries(r.summary).filter(([, n]) => n > 0).map(([code, n]) => `${code}×${n}`);
        return `${r.symbol} ${r.timeframe}: ${r.bars} bars ${r.first ?? ""}..${r.last ?? ""} — ${r.ok ? "OK" : "problems"}${counts.length ? ` (${counts.join(", ")})` : ""}.`;
      })
      .join(" ");
  },
});
