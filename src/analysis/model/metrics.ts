/**
 * Metrics for binary probability forecasts. All take predictions `p` in [0, 1] and labels
 * `y` in {0, 1} of the same length; they throw on empty or mismatched input rather than
 * return a number that means nothing.
 */
import { ArgusError } from "../../core/errors.js";

export type Labels = ArrayLike<number>;
export type Probabilities = ArrayLike<number>;

/** Probabilities are clipped to [EPS, 1 − EPS] for log loss, so one confident miss is large but finite. */
export const LOG_LOSS_EPS = 1e-15;

function check(p: Probabilities, y: Labels, what: string): number {
  if (p.length !== y.length) {
    throw new ArgusError("INVALID_INPUT", `${what}: ${p.length} predictions but ${y.length} labels.`);
  }
  if (p.length === 0) throw new ArgusError("INVALID_INPUT", `${what}: no rows.`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) throw new ArgusError("INVALID_INPUT", `${what}: label at row ${i} is ${v}, expected 0 or 1.`);
  }
  return p.length;
}

/** Share of positive labels. */
export function baseRate(y: Labels): number {
  if (y.length === 0) throw new ArgusError("INVALID_INPUT", "baseRate: no rows.");
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  return s / y.length;
}

/**
 * Area under the ROC curve by the Mann–Whitney statistic: the probability that a random
 * positive scores above a random negative, ties counting one half (average ranks).
 * NaN when only one class is present.
 */
export function rocAuc(p: Probabilities, y: Labels): number {
  const n = check(p, y, "rocAuc");
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => p[a]! - p[b]!);
  let positives = 0;
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && p[order[j + 1]!]! === p[order[i]!]!) j++;
    // Ranks i+1 .. j+1 share their average.
    const avgRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (y[order[k]!]! === 1) {
        positives++;
        rankSumPos += avgRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSumPos - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of the probabilities. */
export function brierScore(p: Probabilities, y: Labels): number {
  const n = check(p, y, "brierScore");
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = p[i]! - y[i]!;
    s += d * d;
  }
  return s / n;
}

/** Mean negative log-likelihood (natural log), probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(p: Probabilities, y: Labels): number {
  const n = check(p, y, "logLoss");
  let s = 0;
  for (let i = 0; i < n; i++) {
    const q = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p[i]!));
    s -= y[i]! === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / n;
}

export interface ReliabilityBin {
  /** Inclusive lower edge (the first bin also takes exactly 0). */
  lo: number;
  /** Upper edge, inclusive for the last bin only. */
  hi: number;
  count: number;
  /** Mean forecast in the bin; null when the bin is empty. */
  meanPredicted: number | null;
  /** Share of positives in the bin; null when the bin is empty. */
  observedFrequency: number | null;
}

/**
 * Reliability (calibration) table. "uniform": equal-width bins over [0, 1] — the
 * classic diagram, which shows how narrow a weak model's forecasts are. "quantile":
 * bins of (nearly) equal count by sorted forecast, edges at the forecasts themselves —
 * shows calibration where the forecasts actually are.
 */
export function reliabilityTable(
  p: Probabilities,
  y: Labels,
  options: { bins?: number; strategy?: "uniform" | "quantile" } = {},
): ReliabilityBin[] {
  const n = check(p, y, "reliabilityTable");
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1) throw new ArgusError("INVALID_INPUT", `reliabilityTable: bins must be a positive integer, got ${bins}.`);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const lo = new Float64Array(bins);
  const hi = new Float64Array(bins);
  if ((options.strategy ?? "uniform") === "uniform") {
    for (let b = 0; b < bins; b++) {
      lo[b] = b / bins;
      hi[b] = (b + 1) / bins;
    }
    for (let i = 0; i < n; i++) {
      const q = p[i]!;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(q * bins)));
      count[b]!++;
      sumP[b]! += q;
      sumY[b]! += y[i]!;
    }
  } else {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => p[a]! - p[b]! || a - b);
    for (let b = 0; b < bins; b++) {
      const start = Math.floor((b * n) / bins);
      const end = Math.floor(((b + 1) * n) / bins);
      lo[b] = end > start ? p[order[start]!]! : NaN;
      hi[b] = end > start ? p[order[end - 1]!]! : NaN;
      for (let k = start; k < end; k++) {
        const i = order[k]!;
        count[b]!++;
        sumP[b]! += p[i]!;
        sumY[b]! += y[i]!;
      }
    }
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b]!;
    out.push({
      lo: lo[b]!,
      hi: hi[b]!,
      count: c,
      meanPredicted: c > 0 ? sumP[b]! / c : null,
      observedFrequency: c > 0 ? sumY[b]! / c : null,
    });
  }
  return out;
}

export interface ForecastMetrics {
  rows: number;
  baseRate: number;
  auc: number;
  brier: number;
  logLoss: number;
}

export function forecastMetrics(p: Probabilities, y: Labels): ForecastMetrics {
  return { rows: y.length, baseRate: baseRate(y), auc: rocAuc(p, y), brier: brierScore(p, y), logLoss: logLoss(p, y) };
}

/** The no-skill baseline: predict the constant `rate` (the train base rate) for every row. */
export function constantForecastMetrics(rate: number, y: Labels): ForecastMetrics {
  const p = new Float64Array(y.length).fill(rate);
  return { rows: y.length, baseRate: baseRate(y), auc: 0.5, brier: brierScore(p, y), logLoss: logLoss(p, y) };
}
