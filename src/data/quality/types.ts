import type { Bar } from "../bar.js";
import type { NyseCalendar } from "../calendar/nyse-calendar.js";
import { z } from "zod";
import { timeframeSchema, type Timeframe } from "../timeframes.js";

export const QUALITY_CODES = [
  "GAP",
  "DUPLICATE_TIMESTAMP",
  "NON_POSITIVE_PRICE",
  "HIGH_BELOW_LOW",
  "OHLC_INCONSISTENT",
  "RETURN_OUTLIER",
  "STALE_LAST_BAR",
  "OFF_SESSION_BAR",
  "NEGATIVE_VOLUME",
] as const;
export type QualityCode = (typeof QUALITY_CODES)[number];
export type Severity = "error" | "warning" | "info";

// The report's shape is declared once, in zod: the types below are inferred from it and
// the check_data_quality tool publishes it as its output schema.

export const qualityIssueSchema = z.object({
  code: z.enum(QUALITY_CODES),
  severity: z.enum(["error", "warning", "info"]),
  /** Session date (YYYY-MM-DD) for daily bars, New York ISO time for intraday bars. */
  at: z.string().optional(),
  detail: z.string(),
});
export type QualityIssue = z.infer<typeof qualityIssueSchema>;

/**
 * A run of missing bars. Daily: `from`/`to` are session dates and `bars` equals
 * `sessions`. Intraday: a run inside one session has New York ISO times (bar starts) and
 * `sessions` 0; whole sessions with no bars at all are dates with `sessions` ≥ 1.
 */
export const gapRangeSchema = z.object({
  from: z.string(),
  to: z.string(),
  sessions: z.number().int(),
  bars: z.number().int(),
});
export type GapRange = z.infer<typeof gapRangeSchema>;

export const gapReportSchema = z.object({
  /** Trading sessions with no bar at all between the first and last bar. */
  missingSessions: z.number().int(),
  /** Missing bar slots: sessions for 1Day, regular-session slots for intraday. */
  missingBars: z.number().int(),
  /** Total number of ranges; `ranges` lists the first MAX_GAP_RANGES of them. */
  rangeCount: z.number().int(),
  ranges: z.array(gapRangeSchema),
  /** Intraday only: missing slots per session date, first MAX_GAP_RANGES days with gaps. */
  days: z.array(z.object({ date: z.string(), missing: z.number().int() })).optional(),
  /** Intraday only: how many session dates have at least one missing slot. */
  daysWithGaps: z.number().int().optional(),
});
export type GapReport = z.infer<typeof gapReportSchema>;

export const qualityReportSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  /** Number of bars assessed. */
  bars: z.number().int(),
  /** First and last bar: a date for 1Day, a New York ISO time for intraday; null with no bars. */
  first: z.string().nullable(),
  last: z.string().nullable(),
  /** True when there are bars and no issue of severity "error". Warnings do not clear it. */
  ok: z.boolean(),
  /** At most MAX_ISSUES_PER_CODE per code (MAX_GAP_RANGES for GAP), in time order. */
  issues: z.array(qualityIssueSchema),
  /** Exact number of occurrences per code, including those left out of `issues`. */
  summary: z.record(z.enum(QUALITY_CODES), z.number().int()),
  gaps: gapReportSchema,
});
export type QualityReport = z.infer<typeof qualityReportSchema>;

export type QualityInput = {
  symbol: string;
  timeframe: Timeframe;
  /** Ascending by t (sorted defensively if not). */
  bars: Bar[];
  /** Epoch ms the report is "as of" (the Clock's now). */
  now: number;
  calendar: NyseCalendar;
  /** Robust z-score above which a close-to-close return is reported; default 12. */
  outlierZ?: number;
  /** Closed regular sessions after the last bar's session tolerated before STALE_LAST_BAR; default 2. */
  staleAfterSessions?: number;
};

export const MAX_ISSUES_PER_CODE = 100;
export const MAX_GAP_RANGES = 50;
export const DEFAULT_OUTLIER_Z = 12;
export const DEFAULT_STALE_AFTER_SESSIONS = 2;
