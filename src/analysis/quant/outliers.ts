/**
 * Cross-sectional outliers: which symbols in a universe stand out on a metric (P/E,
 * 1-month return, volatility, …) relative to the others on the same date. Pure: the
 * caller supplies the rows.
 *
 * Conventions:
 * - Robust z (default): z = (x − median) / (1.4826·MAD), MAD = median(|x − median|).
 *   1.4826 ≈ 1/Φ⁻¹(0.75) makes 1.4826·MAD estimate the standard deviation of normal data,
 *   so robust z is on the same scale as a classic z, but one extreme value cannot inflate
 *   the scale and hide itself (with mean/std it can: in a universe of n symbols a classic
 *   |z| can never exceed (n − 1)/√n, e.g. 1.15 for n = 3, 2.68 for n = 10).
 *   Medians of an even count are the mean of the two middle values.
 * - When MAD = 0 (more than half the values are identical) the robust scale is zero and
 *   the metric falls back to the classic z; the metric's `method` says "classic" and a
 *   note says why.
 * - Classic z: z = (x − mean) / sd with the SAMPLE standard deviation (n − 1), as pandas.
 *   If every value is equal, every z is 0 and nothing is an outlier (noted).
 * - A value that is missing, or not a finite number, is skipped for that metric only,
 *   and a note names the symbols skipped. A metric left with fewer than 3 values gets no
 *   z-scores (noted): a z-score needs a cross-section to compare against.
 * - An outlier is |z| ≥ threshold (default 2.5). `direction` is "high" for z > 0, "low"
 *   for z < 0. Outliers are sorted by |z| descending, then metric, then symbol, so the
 *   order is deterministic.
 */
import { ArgusError } from "../../core/errors.js";

export interface OutlierRow {
  symbol: string;
  values: Record<string, number>;
}

export interface OutlierOptions {
  metrics: string[];
  /** |z| at or above this is an outlier; default 2.5. */
  threshold?: number;
  /** Median/MAD (true, default) or mean/standard deviation (false). */
  robust?: boolean;
}

export interface SymbolScore {
  symbol: string;
  value: number;
  z: number;
}

export interface MetricScores {
  metric: string;
  /** The method actually used: "robust" may fall back to "classic" when MAD = 0. */
  method: "robust" | "classic" | null;
  /** Median (robust) or mean (classic); null when the metric had too few values. */
  center: number | null;
  /** 1.4826·MAD (robust) or sample sd (classic); null when too few values. */
  scale: number | null;
  /** Symbols with a finite value for this metric. */
  count: number;
  /** One entry per scored symbol, in input order. */
  scores: SymbolScore[];
  /** Symbols without a finite value for this metric. */
  skipped: string[];
}

export interface Outlier {
  symbol: string;
  metric: string;
  value: number;
  z: number;
  direction: "high" | "low";
}

export interface OutliersResult {
  threshold: number;
  robust: boolean;
  metrics: MetricScores[];
  outliers: Outlier[];
  /** Human-readable notes: skipped values, fallbacks, degenerate metrics. */
  notes: string[];
}

/** Scale factor turning a MAD into a consistent estimate of a normal standard deviation. */
export const MAD_SCALE = 1.4826;
const MIN_UNIVERSE = 3;

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new ArgusError("INVALID_INPUT", message, details);
}

function median(sortedAsc: number[]): number {
  const n = sortedAsc.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sortedAsc[mid]! : (sortedAsc[mid - 1]! + sortedAsc[mid]!) / 2;
}

function classic(xs: number[]): { center: number; scale: number } {
  const n = xs.length;
  const m = xs.reduce((s, x) => s + x, 0) / n;
  const allEqual = xs.every((x) => x === xs[0]);
  const scale = allEqual ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - m) * (x - m), 0) / (n - 1));
  return { center: allEqual ? xs[0]! : m, scale };
}

/** Z-scores of every symbol on every metric, and the outliers among them. */
export function crossSectionalOutliers(rows: OutlierRow[], opts: OutlierOptions): OutliersResult {
  if (!Array.isArray(rows) || rows.length < MIN_UNIVERSE) {
    invalid(
      `The universe has ${Array.isArray(rows) ? rows.length : 0} symbol(s); at least ${MIN_UNIVERSE} are needed, ` +
        `because a z-score measures a symbol against the cross-section of the others.`,
      { field: "rows", minimum: MIN_UNIVERSE },
    );
  }
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (typeof row?.symbol !== "string" || row.symbol.length === 0) invalid(`rows[${i}].symbol must be a non-empty string.`, { field: "rows", index: i });
    if (seen.has(row.symbol)) invalid(`The symbol ${row.symbol} appears twice; give one row per symbol.`, { field: "rows", symbol: row.symbol });
    seen.add(row.symbol);
    if (typeof row.values !== "object" || row.values === null) invalid(`rows[${i}].values must be an object of metric → number.`, { field: "rows", index: i });
  });

  const metrics = opts?.metrics;
  if (!Array.isArray(metrics) || metrics.length === 0) {
    invalid("metrics is empty; name at least one metric to score (a key of each row's values).", { field: "metrics" });
  }
  const metricSet = new Set<string>();
  for (const m of metrics) {
    if (typeof m !== "string" || m.length === 0) invalid("Each metric must be a non-empty string.", { field: "metrics" });
    if (metricSet.has(m)) invalid(`The metric ${m} is listed twice; list each metric once.`, { field: "metrics", metric: m });
    metricSet.add(m);
  }
  const threshold = opts.threshold ?? 2.5;
  if (typeof threshold !== "number" || !Number.isFinite(threshold) || !(threshold > 0)) {
    invalid(`threshold must be a positive number of standard deviations (e.g. 2.5); got ${String(threshold)}.`, { field: "threshold" });
  }
  const robust = opts.robust ?? true;
  if (typeof robust !== "boolean") invalid("robust must be true or false.", { field: "robust" });

  const notes: string[] = [];
  const outliers: Outlier[] = [];
  const results: MetricScores[] = [];

  for (const metric of metrics) {
    const present: { symbol: string; value: number }[] = [];
    const skipped: string[] = [];
    for (const row of rows) {
      const v: unknown = Object.prototype.hasOwnProperty.call(row.values, metric) ? row.values[metric] : undefined;
      if (typeof v === "number" && Number.isFinite(v)) present.push({ symbol: row.symbol, value: v });
      else skipped.push(row.symbol);
    }
    if (skipped.length > 0) {
      notes.push(`${metric}: skipped ${skipped.length} symbol(s) without a finite value (${skipped.join(", ")}).`);
    }
    if (present.length < MIN_UNIVERSE) {
      notes.push(
        `${metric}: only ${present.length} symbol(s) have a finite value; at least ${MIN_UNIVERSE} are needed for z-scores, so none were computed.`,
      );
      results.push({ metric, method: null, center: null, scale: null, count: present.length, scores: [], skipped });
      continue;
    }

    const xs = present.map((p) => p.value);
    let method: "robust" | "classic" = "classic";
    let center: number;
    let scale: number;
    if (robust) {
      const sorted = xs.slice().sort((a, b) => a - b);
      const med = median(sorted);
      const mad = median(xs.map((x) => Math.abs(x - med)).sort((a, b) => a - b));
      if (mad > 0) {
        method = "robust";
        center = med;
        scale = MAD_SCALE * mad;
      } else {
        ({ center, scale } = classic(xs));
        notes.push(
          `${metric}: the median absolute deviation is 0 (at least half the values equal ${med}), so mean and standard deviation were used instead.`,
        );
      }
    } else {
      ({ center, scale } = classic(xs));
    }
    if (scale === 0) notes.push(`${metric}: every value equals ${center}; all z-scores are 0.`);

    const scores = present.map(({ symbol, value }) => {
      const z = scale > 0 ? (value - center) / scale : 0;
      return { symbol, value, z: z === 0 ? 0 : z };
    });
    for (const s of scores) {
      if (Math.abs(s.z) >= threshold) {
        outliers.push({ symbol: s.symbol, metric, value: s.value, z: s.z, direction: s.z > 0 ? "high" : "low" });
      }
    }
    results.push({ metric, method, center, scale, count: present.length, scores, skipped });
  }

  outliers.sort(
    (a, b) =>
      Math.abs(b.z) - Math.abs(a.z) ||
      (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0) ||
      (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  );
  return { threshold, robust, metrics: results, outliers, notes };
}
