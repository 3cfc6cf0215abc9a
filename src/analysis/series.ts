import type { Bar } from "../data/bar.js";

/** Bars as columns: the shape the indicators take. */
export interface Columns {
  t: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;
}

/** Bars to columns; bars without a time (feature rows) get NaN times. */
export function toColumns(bars: readonly (Pick<Bar, "open" | "high" | "low" | "close" | "volume"> & { t?: number })[]): Columns {
  const n = bars.length;
  const cols: Columns = {
    t: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    length: n,
  };
  for (let i = 0; i < n; i++) {
    const b = bars[i]!;
    cols.t[i] = b.t ?? Number.NaN;
    cols.open[i] = b.open;
    cols.high[i] = b.high;
    cols.low[i] = b.low;
    cols.close[i] = b.close;
    cols.volume[i] = b.volume;
  }
  return cols;
}

/** The last element of an indicator output, or null while it is still warming up. */
export function last(values: Float64Array, offset = 0): number | null {
  const v = values[values.length - 1 - offset];
  return v === undefined || Number.isNaN(v) ? null : v;
}

/** Annualised standard deviation of daily log returns over the last `window` sessions ending at `end` (inclusive). */
export function realizedVolatility(close: Float64Array, window: number, end = close.length - 1): number | null {
  if (end - window < 0) return null;
  let sum = 0;
  let sumSq = 0;
  for (let i = end - window + 1; i <= end; i++) {
    const r = Math.log(close[i]! / close[i - 1]!);
    sum += r;
    sumSq += r * r;
  }
  const mean = sum / window;
  const variance = Math.max(0, sumSq / window - mean * mean) * (window / (window - 1));
  return Math.sqrt(variance * 252);
}
