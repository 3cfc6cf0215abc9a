import type { Bar } from "./bar.js";

/**
 * Whole bar series kept in memory, least recently used first out, bounded by the total
 * number of bars. Reading a year of daily bars from SQLite costs ~0.3 ms, almost all of
 * it building row objects; a cached series answers the same query with a binary search
 * and a slice. Series are shared between callers and must not be mutated.
 */
export class SeriesCache {
  private readonly series = new Map<string, readonly Bar[]>();
  private total = 0;

  constructor(private readonly maxBars: number) {}

  /** Series larger than a quarter of the budget are not cached: they would evict everything else. */
  accepts(size: number): boolean {
    return size <= this.maxBars / 4;
  }

  get(key: string): readonly Bar[] | undefined {
    const hit = this.series.get(key);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.series.delete(key);
      this.series.set(key, hit);
    }
    return hit;
  }

  set(key: string, bars: readonly Bar[]): void {
    if (!this.accepts(bars.length)) return;
    this.delete(key);
    this.series.set(key, bars);
    this.total += bars.length;
    for (const [oldest, old] of this.series) {
      if (this.total <= this.maxBars) break;
      this.series.delete(oldest);
      this.total -= old.length;
    }
  }

  delete(key: string): void {
    const old = this.series.get(key);
    if (old) {
      this.series.delete(key);
      this.total -= old.length;
    }
  }

  clear(): void {
    this.series.clear();
    this.total = 0;
  }

  get size(): number {
    return this.total;
  }
}

/** Index of the first bar with t >= x (bars ascending). */
export function lowerBound(bars: readonly Bar[], x: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.t < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first bar with t > x (bars ascending). */
export function upperBound(bars: readonly Bar[], x: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.t <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bars a BarQuery selects from an ascending series. */
export function selectRange(bars: readonly Bar[], fromT: number | undefined, toT: number | undefined, limit: number, anchor: "first" | "last"): Bar[] {
  const start = fromT === undefined ? 0 : lowerBound(bars, fromT);
  const end = toT === undefined ? bars.length : upperBound(bars, toT);
  if (end <= start) return [];
  return anchor === "first" ? bars.slice(start, Math.min(end, start + limit)) : bars.slice(Math.max(start, end - limit), end);
}
