import type { Bar } from "../bar.js";
import type { NyseCalendar } from "../calendar/nyse-calendar.js";
import type { Timeframe } from "../timeframes.js";

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

export type QualityIssue = {
  code: QualityCode;
  severity: Severity;
  /** Session date (YYYY-MM-DD) for daily bars, ISO instant (UTC) for intraday bars. */
  at?: string;
  detail: string;
};

/**
 * A run of missing bars. Daily: `from`/`to` are session dates and `bars` equals
 * `sessions`. Intraday: a run inside one session has ISO instants (bar starts) and
 * `sessions` 0; whole sessions with no bars at all are dates with `sessions` ≥ 1.
 */
export type GapRange = {
  from: string;
  to: string;
  sessions: number;
  bars: number;
};

export type GapReport = {
  /** Trading sessions with no bar at all between the first and last bar. */
  missingSessions: number;
  /** Missing bar slots: sessions for 1Day, regular-session slots for intraday. */
  missingBars: number;
  /** Total number of ranges; `ranges` lists the first MAX_GAP_RANGES of them. */
  rangeCount: number;
  ranges: GapRange[];
  /** Intraday only: missing slots per session date, first MAX_GAP_RANGES days with gaps. */
  days?: { date: string; missing: number }[];
  /** Intraday only: how many session dates have at least one missing slot. */
  daysWithGaps?: number;
};

export type QualityReport = {
  symbol: string;
  timeframe: Timeframe;
  /** Number of bars assessed. */
  bars: number;
  /** First and last bar: a date for 1Day, an ISO instant for intraday; null with no bars. */
  first: string | null;
  last: string | null;
  /** True when there are bars and no issue of severity "error". Warnings do not clear it. */
  ok: boolean;
  /** At most MAX_ISSUES_PER_CODE per code (MAX_GAP_RANGES for GAP), in time order. */
  issues: QualityIssue[];
  /** Exact number of occurrences per code, including those left out of `issues`. */
  summary: Record<QualityCode, number>;
  gaps: GapReport;
};

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
