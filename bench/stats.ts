/** Latency statistics for the benchmark: percentiles by nearest rank, no interpolation. */

export interface LatencySummary {
  calls: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  /** Sequential calls per second: calls divided by the wall time spent making them. */
  callsPerSec: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  const index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[index]!;
}

export function summarize(samples: readonly number[], wallMs: number): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((s, x) => s + x, 0);
  return {
    calls: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    callsPerSec: wallMs > 0 ? (sorted.length * 1000) / wallMs : Number.NaN,
  };
}

export interface Ratios {
  /** Argus / bare: above 1 means Argus is slower. */
  p50: number;
  p99: number;
  /** Argus calls/s ÷ bare calls/s: below 1 means Argus is slower. */
  callsPerSec: number;
}

export function ratios(argus: LatencySummary, bare: LatencySummary): Ratios {
  return { p50: argus.p50 / bare.p50, p99: argus.p99 / bare.p99, callsPerSec: argus.callsPerSec / bare.callsPerSec };
}

/** Within `target`× of the peer on latency (p50, p99) and on throughput. */
export function meetsTarget(r: Ratios, target: number): boolean {
  return r.p50 <= target && r.p99 <= target && r.callsPerSec >= 1 / target;
}
