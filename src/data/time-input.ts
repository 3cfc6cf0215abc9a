import { DateTime } from "luxon";
import { ArgusError } from "../core/errors.js";
import { dayNumber, isoDate } from "./calendar/dates.js";
import { EXCHANGE_ZONE, exchangeZone } from "./calendar/zone.js";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Turns a user's time bound into epoch ms. A bare date means the start of that day
 * in New York (for `from`) or its last millisecond (for `to`), because users think of
 * "bars for 2024-03-15" in exchange days. A time without an offset is New York time;
 * one with Z or an offset is taken as written.
 */
export function parseTimeBound(value: string, bound: "from" | "to", field: string): number {
  const input = value.trim();
  if (DATE_ONLY.test(input)) {
    // The common case, without luxon: day numbers validate the date, ZoneTime finds midnight.
    let day: number;
    try {
      day = dayNumber(input);
    } catch {
      throw new ArgusError("INVALID_INPUT", `${field} "${value}" is not a real calendar date; use YYYY-MM-DD.`, { field });
    }
    return bound === "from" ? exchangeZone.startOfDay(input) : exchangeZone.startOfDay(isoDate(day + 1)) - 1;
  }
  const dt = DateTime.fromISO(input, { zone: EXCHANGE_ZONE });
  if (!dt.isValid) {
    throw new ArgusError("INVALID_INPUT", `${field} "${value}" is not a date or time; use ISO 8601 such as 2024-03-15 or 2024-03-15T09:30:00-04:00.`, { field });
  }
  return dt.toMillis();
}

/** Parses an optional from/to pair and rejects a reversed range. */
export function parseTimeRange(from: string | undefined, to: string | undefined): { fromT?: number; toT?: number } {
  const fromT = from === undefined ? undefined : parseTimeBound(from, "from", "from");
  const toT = to === undefined ? undefined : parseTimeBound(to, "to", "to");
  if (fromT !== undefined && toT !== undefined && fromT > toT) {
    throw new ArgusError("INVALID_RANGE", `from (${from}) is after to (${to}); swap them or widen the range.`, { from, to });
  }
  return { ...(fromT !== undefined ? { fromT } : {}), ...(toT !== undefined ? { toT } : {}) };
}
