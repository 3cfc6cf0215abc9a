/** The flow period a factor report describes: the latest fiscal year, or the trailing four quarters. Pure. */
import type { Column, Statement } from "../statements/index.js";
import { cellAt, dayNumber, near, yearsBefore } from "./inputs.js";

/** Days a period end may be off "a year earlier" (52/53-week years move by up to a week). */
export const YEAR_TOLERANCE_DAYS = 14;
/** Days of gap or overlap allowed between consecutive quarters of a TTM window. */
export const CONTIGUITY_TOLERANCE_DAYS = 3;

export interface FlowWindow {
  /** "FY2023", "TTM to Q2 FY2024" */
  label: string;
  start?: string;
  end: string;
  quarterly: boolean;
  /** annual: the fiscal-year column; ttm: four quarterly columns, newest first */
  columns: Column[];
  /** set when the window cannot be used (too few or non-contiguous quarters) */
  problem?: string;
}

function hasCore(s: Statement, i: number): boolean {
  return cellAt(s, "revenue", i) !== null || cellAt(s, "netIncome", i) !== null;
}

/** The newest fiscal-year column with revenue or net income, or the one ending about `yearsBack` years before `from`. */
export function annualWindow(incomeAnnual: Statement, from?: { end: string; yearsBack: number }): FlowWindow | undefined {
  const cols = incomeAnnual.columns;
  let idx = -1;
  if (from === undefined) {
    idx = cols.findIndex((c, i) => c.fiscalPeriod === "FY" && hasCore(incomeAnnual, i));
  } else {
    const target = yearsBefore(from.end, from.yearsBack);
    idx = cols.findIndex((c) => c.fiscalPeriod === "FY" && near(c.end, target, YEAR_TOLERANCE_DAYS));
  }
  const c = idx >= 0 ? cols[idx] : undefined;
  if (!c) return undefined;
  const w: FlowWindow = { label: c.label, end: c.end, quarterly: false, columns: [c] };
  if (c.start !== undefined) w.start = c.start;
  return w;
}

function quarterLike(c: Column): boolean {
  if (c.fiscalPeriod === "FY") return false;
  if (c.fiscalPeriod !== "TR") return true;
  if (c.start === undefined) return false;
  const days = dayNumber(c.end) - dayNumber(c.start) + 1;
  return days >= 80 && days <= 115;
}

/**
 * The four newest consecutive quarters (from the newest with revenue or net income, or the
 * quarter ending about a year before `yearBefore`). Each quarter must start the day after
 * the previous one ends (± CONTIGUITY_TOLERANCE_DAYS); otherwise the window carries a problem.
 */
export function ttmWindow(incomeQuarterly: Statement, yearBefore?: string): FlowWindow | undefined {
  const q = incomeQuarterly.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => quarterLike(c));
  let from = -1;
  if (yearBefore === undefined) {
    from = q.findIndex(({ i }) => hasCore(incomeQuarterly, i));
  } else {
    const target = yearsBefore(yearBefore, 1);
    from = q.findIndex(({ c }) => near(c.end, target, YEAR_TOLERANCE_DAYS));
  }
  if (from < 0) return undefined;
  const cols = q.slice(from, from + 4).map(({ c }) => c);
  const newest = cols[0]!;
  const w: FlowWindow = { label: `TTM to ${newest.label}`, end: newest.end, quarterly: true, columns: cols };
  const oldest = cols[cols.length - 1]!;
  if (oldest.start !== undefined) w.start = oldest.start;
  if (cols.length < 4) {
    w.problem = `only ${cols.length} quarterly period(s) up to ${newest.label}: TTM needs four consecutive quarters`;
    return w;
  }
  for (let k = 0; k < 3; k++) {
    const later = cols[k]!;
    const earlier = cols[k + 1]!;
    if (later.start === undefined) {
      w.problem = `${later.label} has no known start date: cannot check the four quarters are consecutive`;
      return w;
    }
    const gap = dayNumber(later.start) - dayNumber(earlier.end) - 1;
    if (Math.abs(gap) > CONTIGUITY_TOLERANCE_DAYS) {
      w.problem = `${earlier.label} (ends ${earlier.end}) and ${later.label} (starts ${later.start}) are not consecutive: TTM needs four consecutive quarters`;
      return w;
    }
  }
  return w;
}
