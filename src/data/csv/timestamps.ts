import type { ZoneTime } from "../calendar/zone-time.js";

/**
 * A parsed time stamp cell.
 * - `date`: a calendar date with no time of day ("2000-01-03").
 * - `local`: a naive local date-time, converted to an instant in the import's time zone;
 *   `date` is the local date as written.
 * - `instant`: an absolute time (ISO with Z or an offset, or an epoch number); `date` is
 *   the date as written when the text had one (ISO), absent for epoch numbers.
 */
export type ParsedStamp =
  | { kind: "date"; date: string }
  | { kind: "local"; date: string; ms: number }
  | { kind: "instant"; ms: number; date?: string };

const ISO_LIKE =
  /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const EPOCH = /^\d{9,20}(?:\.\d+)?$/;

export const STAMP_FORMATS =
  "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], ISO 8601 with Z or an offset, or epoch seconds/milliseconds";

function validDate(y: number, mo: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

function offsetMinutes(tz: string): number {
  if (tz.toUpperCase() === "Z") return 0;
  const sign = tz.startsWith("-") ? -1 : 1;
  const digits = tz.slice(1).replace(":", "");
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (h * 60 + m);
}

/** Parses one time stamp cell; returns an error message (string) when it cannot. */
export function parseStamp(text: string, local: ZoneTime): ParsedStamp | string {
  const s = text.trim();
  if (s === "") return "time stamp is empty";
  const compact = COMPACT_DATE.exec(s);
  if (compact) {
    const [y, mo, d] = [Number(compact[1]), Number(compact[2]), Number(compact[3])];
    if (!validDate(y, mo, d)) return `unparseable date "${s}" (not a real calendar date)`;
    return { kind: "date", date: `${compact[1]}-${compact[2]}-${compact[3]}` };
  }
  if (EPOCH.test(s)) {
    // Magnitude tells the unit: seconds until the year 5138, then ms, µs, ns (pandas).
    const n = Number(s);
    const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1e3 : n / 1e6;
    if (!Number.isFinite(ms) || ms > 8.64e15) return `unparseable date "${s}" (epoch number out of range)`;
    return { kind: "instant", ms: Math.round(ms) };
  }
  const m = ISO_LIKE.exec(s);
  if (!m) return `unparseable date "${s}" (expected ${STAMP_FORMATS})`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDate(y, mo, d)) return `unparseable date "${s}" (not a real calendar date)`;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) return { kind: "date", date };
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const frac = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000);
  if (h > 23 || mi > 59 || sec > 59) return `unparseable date "${s}" (time of day out of range)`;
  if (m[8] !== undefined) {
    const ms = Date.UTC(y, mo - 1, d, h, mi, sec, frac) - offsetMinutes(m[8]) * 60_000;
    return { kind: "instant", ms, date };
  }
  const ms = local.toMillis(y, mo, d, h, mi, sec, frac);
  if (ms === null) return `time "${s}" does not exist in ${local.zone} (skipped by a daylight-saving change)`;
  return { kind: "local", date, ms };
}
