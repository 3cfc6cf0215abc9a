import { IANAZone } from "luxon";
import { z } from "zod";
import { ArgusError } from "../../core/errors.js";
import { timeframeSchema } from "../timeframes.js";

/** Layouts a caller may force; "auto" detects one from the header. */
export const CSV_LAYOUTS = ["auto", "yahoo", "indexed", "minute", "generic", "custom"] as const;

export const csvColumnsSchema = z.object({
  time: z.string().min(1),
  open: z.string().min(1),
  high: z.string().min(1),
  low: z.string().min(1),
  close: z.string().min(1),
  volume: z.string().min(1),
  adjClose: z.string().min(1).optional(),
});
export type CsvColumns = z.infer<typeof csvColumnsSchema>;

/**
 * Import options. A plain object schema (no refinements) so callers can `.extend()` it,
 * e.g. with a symbol; the cross-field rules live in resolveCsvImportOptions.
 */
export const csvImportOptionsSchema = z.object({
  /** Bar size; inferred from the time stamps when absent (date-only → 1Day). */
  timeframe: timeframeSchema.optional(),
  layout: z.enum(CSV_LAYOUTS).default("auto"),
  /** Header names for each field; implies layout "custom". */
  columns: csvColumnsSchema.optional(),
  /** Zone of naive local time stamps. Stamps with Z or an offset, and epoch numbers, ignore it. */
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), { message: "must be an IANA time zone such as America/New_York" })
    .default("America/New_York"),
  /** Whether a stamp marks the bar's start or its end; defaults per layout (see parse-bars). 1Day ignores it. */
  timeLabel: z.enum(["start", "end"]).optional(),
  skipBadRows: z.boolean().default(false),
});

/** What callers pass (defaults optional). */
export type CsvImportOptions = z.input<typeof csvImportOptionsSchema>;
/** After validation and defaults. */
export type ResolvedCsvImportOptions = z.output<typeof csvImportOptionsSchema>;

export function resolveCsvImportOptions(opts: CsvImportOptions | undefined): ResolvedCsvImportOptions {
  const parsed = csvImportOptionsSchema.safeParse(opts ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`);
    throw new ArgusError("INVALID_INPUT", `Invalid CSV import options: ${issues.join("; ")}.`, { issues });
  }
  const o = parsed.data;
  if (o.layout === "custom" && !o.columns) {
    throw new ArgusError("INVALID_INPUT", 'Invalid CSV import options: layout "custom" needs a columns mapping { time, open, high, low, close, volume, adjClose? }.');
  }
  if (o.columns && o.layout !== "auto" && o.layout !== "custom") {
    throw new ArgusError("INVALID_INPUT", `Invalid CSV import options: columns cannot be combined with layout "${o.layout}"; use layout "custom" or "auto".`);
  }
  return o.columns ? { ...o, layout: "custom" } : o;
}
