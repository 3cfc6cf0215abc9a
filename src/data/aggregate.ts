import type { Bar } from "./bar.js";
import { exchangeMinuteOfDay } from "./calendar/zone.js";
import { INTRADAY_MINUTES, type Timeframe } from "./timeframes.js";

/**
 * Rolls 1Min bars up into 5Min, 15Min or 1Hour bars. Buckets align to the exchange's
 * local clock (as Alpaca's do): the 09:30 minute falls in the 09:00 hourly bar and in
 * the 09:30 five-minute bar. Input must be ascending; a bucket's start is its label.
 */
export function aggregateMinuteBars(minuteBars: readonly Bar[], target: Exclude<Timeframe, "1Day" | "1Min">): Bar[] {
  const size = INTRADAY_MINUTES[target];
  const out: Bar[] = [];
  let current: Bar | undefined;
  for (const b of minuteBars) {
    const minute = exchangeMinuteOfDay(b.t);
    const bucketStart = b.t - (minute % size) * 60_000;
    if (current && current.t === bucketStart) {
      current.high = Math.max(current.high, b.high);
      current.low = Math.min(current.low, b.low);
      current.close = b.close;
      current.volume += b.volume;
    } else {
      current = { t: bucketStart, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
      out.push(current);
    }
  }
  return out;
}
