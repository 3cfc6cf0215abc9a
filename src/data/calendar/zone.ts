import { DateTime } from "luxon";

export const EXCHANGE_ZONE = "America/New_York";

const HOUR_MS = 3_600_000;
const offsetByHour = new Map<number, number>();

/**
 * UTC offset of America/New_York at instant t, in minutes. Offsets only change on the
 * hour, so one luxon lookup per UTC hour is cached; formatting thousands of bars
 * stays cheap on the hot path of get_bars.
 */
export function exchangeOffsetMinutes(t: number): number {
  const hour = Math.floor(t / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = DateTime.fromMillis(hour * HOUR_MS, { zone: EXCHANGE_ZONE }).offset;
    if (offsetByHour.size > 200_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** ISO 8601 in exchange-local time with its offset, e.g. 2019-02-11T09:30:00-05:00. */
export function toExchangeIso(t: number): string {
  const offset = exchangeOffsetMinutes(t);
  const local = new Date(t + offset * 60_000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Minutes since local midnight in America/New_York. */
export function exchangeMinuteOfDay(t: number): number {
  const local = t + exchangeOffsetMinutes(t) * 60_000;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}
