import type { Bar } from "../bar.js";

/** Fewer returns than this give no trustworthy notion of "normal", so nothing is flagged. */
export const MIN_RETURNS = 20;

export interface ReturnOutlier {
  /** The bar whose close ends the return. */
  bar: Bar;
  prev: Bar;
  logReturn: number;
  z: number;
  median: number;
  scale: number;
  /** "an unadjusted 7-for-1 split" style hint when the price ratio is near a common split ratio. */
  splitHint?: string;
  /** Log return of adjClose over the same pair, when both bars carry one. */
  adjLogReturn?: number;
  /** Robust z of adjLogReturn on the close returns' scale. */
  adjZ?: number;
}

function median(sorted: number[]): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const SPLIT_RATIOS = [2, 3, 4, 5, 6, 7, 8, 10, 15, 20, 25, 30, 50, 100];

/**
 * Names the split a price ratio looks like: the nearest common ratio within 6%, since the
 * stock also moves on the split day (AAPL rose 3.4% on its 2020-08-31 4-for-1 split).
 */
function splitHint(ratio: number): string | undefined {
  let best: { n: number; reverse: boolean; dist: number } | undefined;
  for (const n of SPLIT_RATIOS) {
    for (const reverse of [false, true]) {
      const dist = Math.abs(Math.log(ratio) - (reverse ? Math.log(n) : -Math.log(n)));
      if (dist < Math.log(1.06) && (!best || dist < best.dist)) best = { n, reverse, dist };
    }
  }
  if (!best) return undefined;
  return best.reverse ? `an unadjusted 1-for-${best.n} reverse split` : `an unadjusted ${best.n}-for-1 split`;
}

/**
 * Close-to-close log returns whose robust z-score exceeds `threshold`.
 *
 * Why robust statistics: the events we hunt (an unadjusted split, a price in cents
 * instead of dollars, a fat-fingered tick) are exactly the points that blow up a mean and
 * standard deviation — one 1-for-7 split inflates the sample SD so much that it hides
 * itself. The median and the median absolute deviation (MAD) ignore a few extreme points,
 * and 1.4826 × MAD estimates the SD of normal data, so the z-score keeps its usual
 * meaning. Market returns are fat-tailed, hence a high default threshold (12): only moves
 * that are implausible for the series itself are reported.
 *
 * `sameSegment` decides which neighbours form a return; intraday callers pass "same
 * session" so overnight gaps, which are naturally larger, are not scored against
 * minute-to-minute moves.
 */
export function returnOutliers(bars: Bar[], threshold: number, sameSegment: (a: Bar, b: Bar) => boolean): { outliers: ReturnOutlier[]; returns: number } {
  const pairs: { prev: Bar; bar: Bar; r: number }[] = [];
  for (let i = 1; i < bars.length; i++) {
    const prev = bars[i - 1]!;
    const bar = bars[i]!;
    if (!(prev.close > 0 && bar.close > 0) || !sameSegment(prev, bar)) continue;
    pairs.push({ prev, bar, r: Math.log(bar.close / prev.close) });
  }
  if (pairs.length < MIN_RETURNS) return { outliers: [], returns: pairs.length };
  const sorted = pairs.map((p) => p.r).sort((a, b) => a - b);
  const med = median(sorted);
  const deviations = sorted.map((r) => Math.abs(r - med));
  let scale = 1.4826 * median([...deviations].sort((a, b) => a - b));
  // Flat series (many unchanged minute closes) have MAD 0; fall back to the mean absolute
  // deviation (× √(π/2), its normal-consistency factor) so one jump still stands out.
  if (scale === 0) scale = 1.2533 * (deviations.reduce((s, d) => s + d, 0) / deviations.length);
  if (scale === 0) return { outliers: [], returns: pairs.length };
  const outliers: ReturnOutlier[] = [];
  for (const p of pairs) {
    const z = Math.abs(p.r - med) / scale;
    if (z > threshold) {
      const o: ReturnOutlier = { bar: p.bar, prev: p.prev, logReturn: p.r, z, median: med, scale };
      const hint = splitHint(p.bar.close / p.prev.close);
      if (hint) o.splitHint = hint;
      // Adjusted closes tell a corporate action (adjClose barely moves) from a real move.
      const [a0, a1] = [p.prev.adjClose, p.bar.adjClose];
      if (a0 != null && a1 != null && a0 > 0 && a1 > 0) {
        o.adjLogReturn = Math.log(a1 / a0);
        o.adjZ = Math.abs(o.adjLogReturn - med) / scale;
      }
      outliers.push(o);
    }
  }
  return { outliers, returns: pairs.length };
}
