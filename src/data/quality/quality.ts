import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../bar.js";
import { dayNumber, isoDate } from "../calendar/dates.js";
import type { NyseCalendar } from "../calendar/nyse-calendar.js";
import { INTRADAY_MINUTES, isIntraday } from "../timeframes.js";
import { dailyGaps, intradayGaps, type GapScan } from "./gaps.js";
import { exchangeZone, toExchangeIso } from "../calendar/zone.js";
import { returnOutliers, type ReturnOutlier } from "./outliers.js";
import {
  DEFAULT_OUTLIER_Z,
  DEFAULT_STALE_AFTER_SESSIONS,
  MAX_GAP_RANGES,
  MAX_ISSUES_PER_CODE,
  QUALITY_CODES,
  type QualityCode,
  type QualityInput,
  type QualityIssue,
  type QualityReport,
  type Severity,
} from "./types.js";

export * from "./types.js";

/** Collects issues: exact counts per code, but only the first few listed so reports stay small. */
class IssueLog {
  readonly issues: QualityIssue[] = [];
  readonly summary = Object.fromEntries(QUALITY_CODES.map((c) => [c, 0])) as Record<QualityCode, number>;
  hasError = false;

  add(code: QualityCode, severity: Severity, detail: string, at?: string): void {
    const cap = code === "GAP" ? MAX_GAP_RANGES : MAX_ISSUES_PER_CODE;
    if (severity === "error") this.hasError = true;
    if (this.summary[code]++ < cap) this.issues.push(at === undefined ? { code, severity, detail } : { code, severity, at, detail });
  }
}

const fmtPrice = (n: number) => (Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(4));

function validate(input: QualityInput): { outlierZ: number; staleAfter: number } {
  const outlierZ = input.outlierZ ?? DEFAULT_OUTLIER_Z;
  const staleAfter = input.staleAfterSessions ?? DEFAULT_STALE_AFTER_SESSIONS;
  if (!Number.isFinite(outlierZ) || outlierZ <= 0) throw new ArgusError("INVALID_INPUT", `outlierZ must be a positive number, got ${outlierZ}.`);
  if (!Number.isInteger(staleAfter) || staleAfter < 0) {
    throw new ArgusError("INVALID_INPUT", `staleAfterSessions must be a whole number ≥ 0, got ${staleAfter}.`);
  }
  return { outlierZ, staleAfter };
}

/** Per-bar content checks; the same rules the CSV parser enforces, for data from any source. */
function checkBar(b: Bar, at: string, log: IssueLog): void {
  const prices = { open: b.open, high: b.high, low: b.low, close: b.close };
  const bad = Object.entries(prices).filter(([, v]) => !(Number.isFinite(v) && v > 0));
  if (bad.length > 0) {
    log.add("NON_POSITIVE_PRICE", "error", `${bad.map(([k, v]) => `${k} ${v}`).join(", ")} not positive`, at);
    return; // ordering checks on a broken price would only repeat it
  }
  if (b.high < b.low) {
    log.add("HIGH_BELOW_LOW", "error", `high ${b.high} is below low ${b.low}`, at);
  } else {
    const outside = (["open", "close"] as const).filter((k) => b[k] > b.high || b[k] < b.low);
    if (outside.length > 0) {
      log.add("OHLC_INCONSISTENT", "error", `${outside.map((k) => `${k} ${b[k]}`).join(" and ")} outside the bar's range [${b.low}, ${b.high}]`, at);
    }
  }
  if (!(b.volume >= 0)) log.add("NEGATIVE_VOLUME", "error", `volume ${b.volume} is negative`, at);
}

/**
 * Where a bar sits relative to the exchange's sessions. Daily bars must fall on trading
 * days: a daily bar on a weekend usually means dates were shifted by a time-zone bug, so
 * it is an error. Intraday bars in pre/post-market are legitimate extended-hours data
 * (info); bars on closed days or outside 04:00–20:00 New York are warnings.
 */
function checkSession(b: Bar, date: string, barMs: number | null, at: string, calendar: NyseCalendar, log: IssueLog): void {
  // isTradingDay first: it is pure date arithmetic, session() builds instants with luxon.
  if (!calendar.isTradingDay(date)) {
    const why = calendar.closedReason(date)?.reason ?? "closed";
    log.add("OFF_SESSION_BAR", barMs === null ? "error" : "warning", `bar on ${date}, when the exchange was closed (${why})`, at);
    return;
  }
  if (barMs === null) return;
  const s = calendar.session(date)!;
  if (b.t + barMs > s.open && b.t < s.close) return;
  if (b.t >= s.preOpen && b.t < s.postClose) {
    log.add("OFF_SESSION_BAR", "info", `bar in ${b.t < s.open ? "pre-market" : "post-market"} hours (extended-hours data; gap and outlier checks ignore it)`, at);
  } else {
    log.add("OFF_SESSION_BAR", "warning", "bar outside all trading hours (04:00–20:00 New York)", at);
  }
}

function gapIssues(scan: GapScan, intraday: boolean, tf: string, log: IssueLog): void {
  for (const r of scan.ranges) {
    if (r.sessions > 0) {
      const span = r.from === r.to ? r.from : `${r.from} to ${r.to}`;
      const what = r.sessions === 1 ? "1 trading session" : `${r.sessions} trading sessions`;
      log.add("GAP", "warning", `no bars for ${what} (${span})${intraday ? `, ${r.bars} ${tf} bars` : ""}`, r.from);
    } else {
      const span = r.from === r.to ? r.from : `${r.from} to ${r.to}`;
      log.add("GAP", "info", `${r.bars} missing ${tf} bar${r.bars === 1 ? "" : "s"} in the regular session (starting ${span})`, r.from);
    }
  }
}

/** What the jump was and what it most likely means, from the evidence the bars carry. */
function outlierDetail(o: ReturnOutlier, outlierZ: number): string {
  const pct = (r: number) => `${((Math.exp(r) - 1) * 100).toFixed(1)}%`;
  const causes: string[] = [];
  // Adjusted closes are the strongest evidence: a split moves close but not adjClose.
  const realMove = o.adjZ !== undefined && o.adjZ > outlierZ;
  if (o.adjLogReturn !== undefined) {
    causes.push(
      realMove
        ? `Adj Close moved as much (${pct(o.adjLogReturn)}), which points to a real market move`
        : `Adj Close moved only ${pct(o.adjLogReturn)}, so these prices are missing a corporate-action (split) adjustment`,
    );
  }
  if (o.splitHint && !realMove) causes.push(`the price ratio ${(o.bar.close / o.prev.close).toFixed(3)} is near what ${o.splitHint} would produce`);
  if (causes.length === 0) {
    causes.push("either a real market move (crash, earnings, news) or a data error (bad tick, wrong price scale, unadjusted split); compare with another source");
  }
  return (
    `close ${fmtPrice(o.prev.close)} → ${fmtPrice(o.bar.close)} (log return ${o.logReturn.toFixed(4)}) is ${o.z.toFixed(1)} robust z from the median ` +
    `(threshold ${outlierZ}; median ${o.median.toExponential(2)}, scale ${o.scale.toExponential(2)}); ${causes.join("; ")}`
  );
}

/** Regular sessions that closed after the last bar's session, up to now. */
function sessionsClosedSince(lastDate: string, now: number, calendar: NyseCalendar): number {
  const lastClosed = calendar.lastClosedSession(now).date;
  if (lastClosed <= lastDate) return 0;
  return calendar.tradingDays(isoDate(dayNumber(lastDate) + 1), lastClosed).length;
}

/**
 * A data-quality report for one symbol and timeframe. Pure: it reads only its input and
 * the calendar. See QualityReport for the shape; `ok` means "no error-severity issue".
 */
export function assessQuality(input: QualityInput): QualityReport {
  const { outlierZ, staleAfter } = validate(input);
  const { calendar, timeframe } = input;
  const intraday = isIntraday(timeframe);
  const barMs = intraday ? INTRADAY_MINUTES[timeframe] * 60_000 : null;
  const sorted = input.bars.every((b, i, a) => i === 0 || a[i - 1]!.t <= b.t) ? input.bars : [...input.bars].sort((a, b) => a.t - b.t);
  const label = (t: number) => (intraday ? toExchangeIso(t) : exchangeZone.dateOf(t));
  const log = new IssueLog();

  // One pass: duplicates, content, sessions. `regular` keeps one bar per time stamp inside
  // trading sessions; gaps and return statistics use only those.
  const unique: Bar[] = [];
  const regular: Bar[] = [];
  const dates = new Set<string>();
  for (const b of sorted) {
    const at = label(b.t);
    const prev = unique.at(-1);
    if (prev && prev.t === b.t) {
      log.add("DUPLICATE_TIMESTAMP", "error", `two bars start at ${at}`, at);
      continue;
    }
    unique.push(b);
    checkBar(b, at, log);
    const date = exchangeZone.dateOf(b.t);
    dates.add(date);
    const before = log.summary.OFF_SESSION_BAR;
    checkSession(b, date, barMs, at, calendar, log);
    if (log.summary.OFF_SESSION_BAR === before) regular.push(b);
  }

  const first = sorted[0];
  const last = sorted.at(-1);
  let scan: GapScan = { ranges: [], missingSessions: 0, missingBars: 0, days: [] };
  if (first && last) {
    scan = barMs === null ? dailyGaps(dates, exchangeZone.dateOf(first.t), exchangeZone.dateOf(last.t), calendar) : intradayGaps(regular, barMs, calendar);
    gapIssues(scan, intraday, timeframe, log);
  }

  const sameSegment = intraday ? (a: Bar, b: Bar) => exchangeZone.dateOf(a.t) === exchangeZone.dateOf(b.t) : () => true;
  for (const o of returnOutliers(regular, outlierZ, sameSegment).outliers) {
    const at = label(o.bar.t);
    log.add("RETURN_OUTLIER", "warning", outlierDetail(o, outlierZ), at);
  }

  if (last) {
    const lastDate = exchangeZone.dateOf(last.t);
    const closed = sessionsClosedSince(lastDate, input.now, calendar);
    if (closed > staleAfter) {
      log.add(
        "STALE_LAST_BAR",
        "warning",
        `the last bar is from ${lastDate}; ${closed} regular session${closed === 1 ? " has" : "s have"} closed since (more than ${staleAfter} allowed)`,
        label(last.t),
      );
    }
  }

  return {
    symbol: input.symbol,
    timeframe,
    bars: sorted.length,
    first: first ? label(first.t) : null,
    last: last ? label(last.t) : null,
    ok: sorted.length > 0 && !log.hasError,
    issues: log.issues,
    summary: log.summary,
    gaps: {
      missingSessions: scan.missingSessions,
      missingBars: scan.missingBars,
      rangeCount: scan.ranges.length,
      ranges: scan.ranges.slice(0, MAX_GAP_RANGES),
      ...(intraday ? { days: scan.days.slice(0, MAX_GAP_RANGES), daysWithGaps: scan.days.length } : {}),
    },
  };
}
