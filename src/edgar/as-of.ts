import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import { toExchangeIso } from "../data/calendar/zone.js";

export interface EffectiveAsOf {
  /** YYYY-MM-DD: nothing filed after this date is used. */
  asOf: string;
  /** Set when the caller asked for a later date than the clock's today (it was cut back). */
  requested?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The point in time an EDGAR answer is for: the caller's asOf, never later than the
 * Clock's today in New York. In a backtest the Clock is in the past, so a filing made
 * after it cannot leak into an answer, whatever the caller asks for.
 */
export function effectiveAsOf(clock: Clock, requested?: string): EffectiveAsOf {
  const today = toExchangeIso(clock.now()).slice(0, 10);
  if (requested === undefined) return { asOf: today };
  if (!ISO_DATE.test(requested) || new Date(`${requested}T00:00:00Z`).toISOString().slice(0, 10) !== requested) {
    throw new ArgusError("INVALID_INPUT", `asOf must be a real calendar date like 2023-06-30 (got "${requested}").`);
  }
  if (requested < "1993-01-01") {
    throw new ArgusError("INVALID_INPUT", `asOf ${requested} is before EDGAR existed (electronic filings start in 1993).`);
  }
  return requested > today ? { asOf: today, requested } : { asOf: requested };
}

/** The earlier of two optional YYYY-MM-DD dates. */
export function earlierDate(a: string | undefined, b: string): string {
  return a !== undefined && a < b ? a : b;
}
