/** Date arithmetic and fiscal-period labelling for companyfacts periods. Pure. */

const DAY_MS = 86_400_000;

/**
 * The digits of `iso` from `from` (inclusive) to `to` (exclusive) as a number, or -1 when
 * one is not an ASCII digit. Dates are parsed by hand because the statement builder turns
 * tens of thousands of fact dates into day numbers and Date.parse dominated its profile.
 */
function digitsAt(iso: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = iso.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Days since 1970-01-01 of year/month/day (proleptic Gregorian; day may run past month end). */
function daysFromCivil(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: years start in March so the leap day comes last.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parse "YYYY-MM-DD" into numbers; undefined unless it has that shape with month 1–12 and
 * day 1–31. `exact` also requires the day to exist in the month.
 */
function civilOf(iso: string, exact: boolean): number | undefined {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return undefined;
  const y = digitsAt(iso, 0, 4);
  const m = digitsAt(iso, 5, 7);
  const d = digitsAt(iso, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > (exact ? daysInMonth(y, m) : 31)) return undefined;
  return daysFromCivil(y, m, d);
}

/**
 * Day number of a real calendar date "YYYY-MM-DD", or undefined for anything else — also for
 * shape-valid impossible dates such as "2021-02-31", which the payload schema lets through.
 */
export function calendarDay(iso: string): number | undefined {
  return civilOf(iso, true);
}

/**
 * "YYYY-MM-DD" → days since 1970-01-01 (UTC), with Date.parse's semantics: a day past the end
 * of its month rolls over ("2021-02-31" is 2021-03-03) and anything it cannot parse is NaN.
 * Computed arithmetically whenever Date.parse would agree (checked for every year 0000–9999).
 */
export function dayNumber(iso: string): number {
  return civilOf(iso, false) ?? Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

export function isoFromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Inclusive length in days of a duration period. */
export function durationDays(start: string, end: string): number {
  return dayNumber(end) - dayNumber(start) + 1;
}

export type DurationBucket = "quarter" | "half" | "nineMonths" | "annual" | "other";

/**
 * Bucket a duration by length. Quarters are 84–98 days for calendar and 13/14-week
 * quarters, widened to 80–115 so a retailer's 16-week fourth quarter still counts;
 * six months 160–200; nine months 245–290; annual 350–380 (52/53-week years).
 */
export function bucketOf(days: number): DurationBucket {
  if (days >= 80 && days <= 115) return "quarter";
  if (days >= 160 && days <= 200) return "half";
  if (days >= 245 && days <= 290) return "nineMonths";
  if (days >= 350 && days <= 380) return "annual";
  return "other";
}

/** Parse "MMDD" (or "--MM-DD" as in dei) into month/day. */
export function parseFiscalYearEnd(fye: string): { month: number; day: number } {
  const m = /^(?:--)?(\d{2})-?(\d{2})$/.exec(fye.trim());
  if (!m) throw new Error(`fiscalYearEnd must be "MMDD", got ${JSON.stringify(fye)}`);
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    throw new Error(`fiscalYearEnd must be "MMDD", got ${JSON.stringify(fye)}`);
  }
  return { month, day };
}

/** The anchor date (fiscal-year-end month/day) in a calendar year, clamped to month end. */
function anchorDay(year: number, fye: { month: number; day: number }): number {
  const last = new Date(Date.UTC(year, fye.month, 0)).getUTCDate();
  return Math.round(Date.UTC(year, fye.month - 1, Math.min(fye.day, last)) / DAY_MS);
}

/** Max distance (days) between a period end and the nominal fiscal-year end for a 52/53-week year. */
export const ANCHOR_TOLERANCE_DAYS = 14;

/**
 * Fiscal year of an annual period ending on `end`: the calendar year of the nearest
 * fiscal-year-end anchor when within ±14 days (so a 52/53-week year ending 2016-01-03 for
 * a "1231" filer is FY2015); otherwise — a year from before a change of fiscal year end —
 * the calendar year in which it ends.
 */
export function fiscalYearOfAnnualEnd(end: string, fye: { month: number; day: number }): number {
  const d = dayNumber(end);
  const y = Number(end.slice(0, 4));
  let best = y;
  let bestDist = Infinity;
  for (const cand of [y - 1, y, y + 1]) {
    const dist = Math.abs(anchorDay(cand, fye) - d);
    if (dist < bestDist) {
      bestDist = dist;
      best = cand;
    }
  }
  return bestDist <= ANCHOR_TOLERANCE_DAYS ? best : y;
}

/** Nominal fiscal-year window for quarters not inside any reported fiscal year. */
export function syntheticFiscalYearFor(
  end: string,
  fye: { month: number; day: number },
): { fiscalYear: number; startDay: number; endDay: number } {
  const d = dayNumber(end) - ANCHOR_TOLERANCE_DAYS;
  let y = Number(end.slice(0, 4)) - 1;
  while (anchorDay(y, fye) < d) y++;
  return { fiscalYear: y, startDay: anchorDay(y - 1, fye) + 1, endDay: anchorDay(y, fye) };
}

export interface FiscalYear {
  fiscalYear: number;
  start: string;
  end: string;
  startDay: number;
  endDay: number;
  /** true when the window was not reported as an annual period but projected from fiscalYearEnd */
  synthetic: boolean;
}

export interface TransitionPeriod {
  start: string;
  end: string;
  startDay: number;
  endDay: number;
  fiscalYear: number;
  /** forms (10-KT, 10-QT, …) of filings that reported this exact period */
  forms: string[];
}

export interface DurationPeriodStat {
  start: string;
  end: string;
  /** dayNumber(start), dayNumber(end): computed once per period, not per use */
  startDay: number;
  endDay: number;
  count: number;
  forms: Set<string>;
}

/**
 * Fiscal calendar from the annual-length periods the filer reported: overlapping
 * candidates (predecessor entities, calendar-year recasts) are resolved by keeping the
 * period with the most facts. Gaps of more than 20 days between consecutive fiscal years
 * are transition periods (e.g. Under Armour's 2022-01-01..2022-03-31 10-QT).
 */
export function buildFiscalCalendar(
  periods: Iterable<DurationPeriodStat>,
  fye: { month: number; day: number },
): { years: FiscalYear[]; transitions: TransitionPeriod[] } {
  const annual: DurationPeriodStat[] = [];
  const all: DurationPeriodStat[] = [];
  for (const p of periods) {
    all.push(p);
    if (bucketOf(p.endDay - p.startDay + 1) === "annual") annual.push(p);
  }
  annual.sort((a, b) => b.count - a.count || (a.end < b.end ? 1 : -1));
  const chosen: FiscalYear[] = [];
  for (const p of annual) {
    const s = p.startDay;
    const e = p.endDay;
    const overlaps = chosen.some((c) => Math.min(c.endDay, e) - Math.max(c.startDay, s) > 30);
    if (overlaps) continue;
    chosen.push({
      fiscalYear: fiscalYearOfAnnualEnd(p.end, fye),
      start: p.start,
      end: p.end,
      startDay: s,
      endDay: e,
      synthetic: false,
    });
  }
  chosen.sort((a, b) => a.endDay - b.endDay);
  // Two windows with one label (possible only around a change of year end): keep the later.
  const years: FiscalYear[] = [];
  for (const y of chosen) {
    const prev = years[years.length - 1];
    if (prev && prev.fiscalYear === y.fiscalYear) years[years.length - 1] = y;
    else years.push(y);
  }
  const transitions: TransitionPeriod[] = [];
  for (let i = 1; i < years.length; i++) {
    const a = years[i - 1]!;
    const b = years[i]!;
    if (b.startDay - a.endDay > 20) {
      const startDay = a.endDay + 1;
      const endDay = b.startDay - 1;
      const forms = new Set<string>();
      for (const p of all) {
        if (Math.abs(p.startDay - startDay) <= 3 && Math.abs(p.endDay - endDay) <= 3) {
          for (const f of p.forms) forms.add(f);
        }
      }
      transitions.push({
        start: isoFromDay(startDay),
        end: isoFromDay(endDay),
        startDay,
        endDay,
        fiscalYear: Number(isoFromDay(endDay).slice(0, 4)),
        forms: [...forms].sort(),
      });
    }
  }
  // A transition period the next annual report has not yet framed (no gap to see between
  // two fiscal years) still says what it is: it was reported only on a transition form.
  const lastEnd = years.at(-1)?.endDay ?? Number.NEGATIVE_INFINITY;
  for (const p of all) {
    if (p.startDay <= lastEnd || p.forms.size === 0 || ![...p.forms].every((f) => TRANSITION_FORMS.has(f))) continue;
    if (transitions.some((t) => Math.abs(t.startDay - p.startDay) <= 3 && Math.abs(t.endDay - p.endDay) <= 3)) continue;
    transitions.push({ start: p.start, end: p.end, startDay: p.startDay, endDay: p.endDay, fiscalYear: Number(p.end.slice(0, 4)), forms: [...p.forms].sort() });
  }
  transitions.sort((a, b) => a.startDay - b.startDay);
  return { years, transitions };
}

/** Forms that report a transition period after a change of fiscal year end. */
const TRANSITION_FORMS: ReadonlySet<string> = new Set(["10-QT", "10-KT", "10-QT/A", "10-KT/A"]);

/** Quarter number (1–4) of a period ending at `endDay` inside the fiscal year. */
export function quarterIndex(fy: { startDay: number; endDay: number }, endDay: number): number {
  const len = fy.endDay - fy.startDay + 1;
  const q = Math.round(((endDay - fy.startDay + 1) / len) * 4);
  return Math.min(4, Math.max(1, q));
}
