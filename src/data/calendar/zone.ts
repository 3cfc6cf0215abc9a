import { ZoneTime } from "./zone-time.js";

export const EXCHANGE_ZONE = "America/New_York";

/** Shared converter for the exchange's zone; it caches offsets between DST changes. */
export const exchangeZone = new ZoneTime(EXCHANGE_ZONE);

/** UTC offset of America/New_York at instant t, in minutes. */
export function exchangeOffsetMinutes(t: number): number {
  return exchangeZone.offsetAt(t);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

// Formatted stamps are reused: the same bars are served again and again.
const isoCache = new Map<number, string>();
const ISO_CACHE_MAX = 500_000;

/** ISO 8601 in exchange-local time with its offset, e.g. 2019-02-11T09:30:00-05:00. */
export function toExchangeIso(t: number): string {
  let iso = isoCache.get(t);
  if (iso === undefined) {
    if (isoCache.size >= ISO_CACHE_MAX) isoCache.clear();
    iso = formatExchangeIso(t);
    isoCache.set(t, iso);
  }
  return iso;
}

function formatExchangeIso(t: number): string {
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
