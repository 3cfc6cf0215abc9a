import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { csvImportOptionsSchema } from "../../src/data/csv/options.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { defineTool } from "../spec.js";

export const importBarsCsv = defineTool({
  name: "import_bars_csv",
  title: "Import bars from CSV",
  description:
    "Imports OHLCV bars from a CSV file inside the configured import directories (ARGUS_IMPORT_DIRS). " +
    "Recognises Yahoo Finance exports (Date,Open,High,Low,Close,Adj Close,Volume), lower-case files with an index column, " +
    "and minute files (datetime,open,...; newest first, stamps at bar end); map other layouts with `columns`, `timeZone` and `timeLabel`. " +
    "Re-importing replaces bars with the same time (idempotent). A file with bad rows imports nothing and lists each bad line, " +
    "unless skipBadRows is true. Use dryRun to check a file first.",
  input: csvImportOptionsSchema.extend({
    path: z.string().min(1).describe("Path to the CSV file, inside an allowed import directory"),
    symbol: symbolSchema.optional().describe("Ticker to store the bars under (default: from the file name, e.g. AAPL.csv → AAPL)"),
    name: z.string().max(200).optional().describe("Company name to record"),
    sector: z.string().max(100).optional().describe("Sector to record (used by risk concentration limits)"),
    dryRun: z.boolean().default(false).describe("Parse and validate only; write nothing"),
  }),
  output: z.object({
    symbol: z.string(),
    timeframe: timeframeSchema,
    file: z.string(),
    layout: z.string(),
    rowsRead: z.number().int(),
    imported: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
    first: z.string().nullable(),
    last: z.string().nullable(),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  run(input, { app, trusted }) {
    const r = app.data.importCsv(input, { trusted: trusted === true });
    const { firstT, lastT, ...rest } = r;
    return { ...rest, first: firstT === null ? null : toExchangeIso(firstT), last: lastT === null ? null : toExchangeIso(lastT) };
  },
  summarize(o) {
    const what = o.dryRun ? `Dry run: ${o.rowsRead} rows readable` : `Imported ${o.imported} ${o.timeframe} bars for ${o.symbol} (${o.inserted} new, ${o.updated} replaced)`;
    const skipped = o.skipped > 0 ? `; skipped ${o.skipped} bad rows (first: line ${o.errors[0]?.line}: ${o.errors[0]?.message})` : "";
    return `${what} from ${o.file} [${o.layout} layout], ${o.first ?? "-"} to ${o.last ?? "-"}${skipped}.`;
  },
});
