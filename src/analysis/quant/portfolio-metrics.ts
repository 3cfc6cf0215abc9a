/**
 * Performance and risk metrics of a return series, optionally against a benchmark.
 * Pure functions: no clock, no data access; the caller supplies returns.
 *
 * Conventions (each one is a choice other tools make differently, so it is stated):
 * - Input returns are periodic SIMPLE returns (0.01 = +1%), one per period, oldest first.
 *   A return below −1 (losing more than everything) is rejected: compounding, drawdown
 *   and CAGR are undefined past a total loss.
 * - `periodsPerYear` annualises (252 trading days, 52 weeks, 12 months).
 * - `riskFreeRate` is ANNUAL and converted to a per-period rate geometrically:
 *   rf_p = (1 + rf)^(1/periodsPerYear) − 1.
 * - totalReturn = Π(1 + rᵢ) − 1; cagr = (1 + totalReturn)^(periodsPerYear / n) − 1.
 * - annualizedVolatility = sample standard deviation (n − 1) × √periodsPerYear.
 * - sharpe = mean(r − rf_p) / sd(r) × √periodsPerYear (sd of excess = sd of r).
 * - sortino = mean(r − rf_p) / DD × √periodsPerYear, where the downside deviation
 *   DD = √( Σ min(0, rᵢ − rf_p)² / n ) — the target semideviation with the per-period
 *   risk-free rate as the target, averaged over ALL n periods (Sortino & Price; CFA), not
 *   only over the losing ones.
 * - Drawdown runs on the equity curve E₀ = 1, E_k = E_{k−1}·(1 + r_{k−1}), k = 0…n.
 *   maxDrawdown = max over k of 1 − E_k / max_{j≤k} E_j, a POSITIVE fraction (0.25 = −25%).
 *   maxDrawdownStart / maxDrawdownEnd are equity-curve indexes 0…n of the peak and the
 *   trough: index k is the value after the first k returns. For returns made by
 *   `returnsFromPrices(closes)`, index k is `closes[k]`. Both are null when there is no
 *   drawdown. The earliest deepest trough wins.
 * - calmar = cagr / maxDrawdown over the whole series (null when there is no drawdown).
 * - With a benchmark b (same length, same periods): beta = cov(r, b) / var(b);
 *   alpha is Jensen's alpha per period, mean(r − rf_p) − beta·mean(b − rf_p), annualised
 *   arithmetically (× periodsPerYear); correlation is Pearson's. Null without a
 *   benchmark, or when a variance is zero.
 * - Historical VaR / CVaR at confidence c: with α = 1 − c and the returns sorted
 *   ascending r₍₁₎ ≤ … ≤ r₍ₙ₎, k = ⌈α·n⌉ (at least 1) is the number of tail periods.
 *   historicalVaR = −r₍ₖ₎ (the lower empirical α-quantile, inverse of the empirical CDF,
 *   no interpolation); historicalCVaR = −mean(r₍₁₎…r₍ₖ₎) (expected shortfall over the same
 *   k periods), so CVaR ≥ VaR always. Both are per-period loss fractions: 0.03 means a 3%
 *   loss; a negative value means even the tail periods were gains (not clamped to 0).
 * - hitRate = share of periods with a strictly positive return.
 * Ratios that would divide by zero are null rather than ±Infinity or NaN, so results are
 * valid JSON and nothing downstream mistakes them for numbers.
 */
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../../data/bar.js";

export interface PortfolioMetricsInput {
  /** Periodic simple returns, oldest first. */
  returns: Float64Array;
  /** Benchmark simple returns for the same periods (same length). */
  benchmark?: Float64Array;
  /** Default 252. */
  periodsPerYear?: number;
  /** Annual risk-free rate as a decimal; default 0. */
  riskFreeRate?: number;
  /** Confidence for VaR/CVaR in (0, 1); default 0.95. */
  varConfidence?: number;
}

export interface PortfolioMetrics {
  periods: number;
  totalReturn: number;
  cagr: number;
  annualizedVolatility: number;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number;
  maxDrawdownStart: number | null;
  maxDrawdownEnd: number | null;
  calmar: number | null;
  beta: number | null;
  alpha: number | null;
  correlation: number | null;
  historicalVaR: number;
  historicalCVaR: number;
  bestPeriod: number;
  worstPeriod: number;
  hitRate: number;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new ArgusError("INVALID_INPUT", message, details);
}

function checkSeries(name: string, xs: Float64Array, minLength: number): void {
  if (!(xs instanceof Float64Array)) invalid(`${name} must be a Float64Array.`, { field: name });
  if (xs.length < minLength) {
    invalid(`${name} has ${xs.length} values; at least ${minLength} are needed.`, { field: name, length: xs.length });
  }
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!Number.isFinite(x)) invalid(`${name}[${i}] is ${x}; every value must be a finite number.`, { field: name, index: i });
  }
}

function checkReturns(name: string, xs: Float64Array): void {
  checkSeries(name, xs, 2);
  for (let i = 0; i < xs.length; i++) {
    if (xs[i]! < -1) {
      invalid(`${name}[${i}] is ${xs[i]}, a loss of more than 100%; simple returns must be ≥ −1.`, { field: name, index: i });
    }
  }
}

/** A return as a positive loss fraction, without producing −0. */
function loss(r: number): number {
  return r === 0 ? 0 : -r;
}

function mean(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample covariance (n − 1). */
function covariance(a: Float64Array, b: Float64Array, ma: number, mb: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (a.length - 1);
}

/** Per-period simple returns of a price series: r[i] = closes[i+1] / closes[i] − 1. */
export function returnsFromPrices(closes: Float64Array): Float64Array {
  checkSeries("closes", closes, 2);
  for (let i = 0; i < closes.length; i++) {
    if (!(closes[i]! > 0)) invalid(`closes[${i}] is ${closes[i]}; prices must be greater than 0.`, { field: "closes", index: i });
  }
  const out = new Float64Array(closes.length - 1);
  for (let i = 1; i < closes.length; i++) out[i - 1] = closes[i]! / closes[i - 1]! - 1;
  return out;
}

export type TimedClose = Pick<Bar, "t" | "close">;

export interface AlignedCloses {
  /** Common timestamps, ascending. */
  t: number[];
  /** Closes of `a` at those timestamps. */
  a: Float64Array;
  /** Closes of `b` at those timestamps. */
  b: Float64Array;
}

function indexByTime(name: string, xs: readonly TimedClose[]): Map<number, number> {
  if (!Array.isArray(xs)) invalid(`${name} must be an array of { t, close }.`, { field: name });
  const m = new Map<number, number>();
  xs.forEach((p, i) => {
    if (!Number.isFinite(p.t)) invalid(`${name}[${i}].t is ${p.t}; timestamps must be finite epoch milliseconds.`, { field: name, index: i });
    if (!Number.isFinite(p.close)) invalid(`${name}[${i}].close is ${p.close}; closes must be finite.`, { field: name, index: i });
    if (m.has(p.t)) {
      invalid(`${name} has two points at t=${p.t} (${new Date(p.t).toISOString()}); each timestamp may appear once.`, {
        field: name,
        index: i,
      });
    }
    m.set(p.t, p.close);
  });
  return m;
}

/**
 * The closes of two series at their common timestamps (an inner join on `t`), ascending
 * by time. Inputs need not be sorted; a duplicate timestamp within one series is an error.
 * Timestamps present in only one series are dropped, so returns computed from the result
 * span the same intervals for both (e.g. a portfolio and its benchmark). The result may be
 * empty when the series do not overlap.
 */
export function alignByTime(a: readonly TimedClose[], b: readonly TimedClose[]): AlignedCloses {
  const ma = indexByTime("a", a);
  const mb = indexByTime("b", b);
  const t = [...ma.keys()].filter((k) => mb.has(k)).sort((x, y) => x - y);
  const outA = new Float64Array(t.length);
  const outB = new Float64Array(t.length);
  t.forEach((k, i) => {
    outA[i] = ma.get(k)!;
    outB[i] = mb.get(k)!;
  });
  return { t, a: outA, b: outB };
}

/**
 * Returns of a portfolio of several assets.
 * - "daily": rebalanced to `weights` at the start of every period, so the portfolio return
 *   is Σ wᵢ·rᵢ,ₜ.
 * - "none": buy and hold from weights at the start; each holding then drifts with its own
 *   returns, so the portfolio return is Σ Vᵢ,ₜ / Σ Vᵢ,ₜ₋₁ − 1 with Vᵢ,₀ = wᵢ.
 * Weights must sum to 1 within 1e−9; negative weights (shorts) are allowed.
 */
export function weightedReturns(series: Float64Array[], weights: number[], rebalance: "daily" | "none"): Float64Array {
  if (rebalance !== "daily" && rebalance !== "none") {
    invalid(`rebalance must be "daily" or "none"; got ${JSON.stringify(rebalance)}.`, { field: "rebalance" });
  }
  if (!Array.isArray(series) || series.length === 0) invalid("series must contain at least one return series.", { field: "series" });
  if (!Array.isArray(weights) || weights.length !== series.length) {
    invalid(`There are ${series.length} series but ${Array.isArray(weights) ? weights.length : 0} weights; give one weight per series.`, {
      field: "weights",
    });
  }
  let sum = 0;
  weights.forEach((w, i) => {
    if (typeof w !== "number" || !Number.isFinite(w)) invalid(`weights[${i}] is ${String(w)}; weights must be finite numbers.`, { field: "weights", index: i });
    sum += w;
  });
  if (Math.abs(sum - 1) > 1e-9) invalid(`weights sum to ${sum}; they must sum to 1 (within 1e-9).`, { field: "weights", sum });
  const n = series[0]!.length;
  series.forEach((s, j) => {
    checkSeries(`series[${j}]`, s, 1);
    if (s.length !== n) invalid(`series[${j}] has ${s.length} returns but series[0] has ${n}; all series must cover the same periods.`, { field: "series", index: j });
    for (let i = 0; i < s.length; i++) {
      if (s[i]! < -1) invalid(`series[${j}][${i}] is ${s[i]}, a loss of more than 100%; simple returns must be ≥ −1.`, { field: "series", index: j });
    }
  });

  const out = new Float64Array(n);
  if (rebalance === "daily") {
    for (let t = 0; t < n; t++) {
      let r = 0;
      for (let j = 0; j < series.length; j++) r += weights[j]! * series[j]![t]!;
      out[t] = r;
    }
    return out;
  }
  const values = weights.slice();
  let total = 1;
  for (let t = 0; t < n; t++) {
    if (!(total > 0)) {
      invalid(`The buy-and-hold portfolio is worth ${total} before period ${t}; returns after a total loss are undefined.`, { field: "series", period: t });
    }
    let next = 0;
    for (let j = 0; j < series.length; j++) {
      values[j] = values[j]! * (1 + series[j]![t]!);
      next += values[j]!;
    }
    out[t] = next / total - 1;
    total = next;
  }
  return out;
}

/** Performance and risk metrics; see the header for every definition. */
export function portfolioMetrics(input: PortfolioMetricsInput): PortfolioMetrics {
  const { returns, benchmark } = input;
  const periodsPerYear = input.periodsPerYear ?? 252;
  const riskFreeRate = input.riskFreeRate ?? 0;
  const varConfidence = input.varConfidence ?? 0.95;

  checkReturns("returns", returns);
  if (benchmark !== undefined) {
    checkReturns("benchmark", benchmark);
    if (benchmark.length !== returns.length) {
      invalid(
        `returns has ${returns.length} periods but benchmark has ${benchmark.length}; align them first (alignByTime on the closes).`,
        { field: "benchmark", returns: returns.length, benchmark: benchmark.length },
      );
    }
  }
  if (!Number.isFinite(periodsPerYear) || !(periodsPerYear > 0)) {
    invalid(`periodsPerYear must be a positive number (252 for daily, 52 weekly, 12 monthly); got ${periodsPerYear}.`, { field: "periodsPerYear" });
  }
  if (!Number.isFinite(riskFreeRate) || !(riskFreeRate > -1)) {
    invalid(`riskFreeRate must be an annual rate as a decimal above −1 (0.04 for 4%); got ${riskFreeRate}.`, { field: "riskFreeRate" });
  }
  if (!Number.isFinite(varConfidence) || !(varConfidence > 0 && varConfidence < 1)) {
    invalid(`varConfidence must be strictly between 0 and 1 (e.g. 0.95); got ${varConfidence}.`, { field: "varConfidence" });
  }

  const n = returns.length;
  const rfp = Math.pow(1 + riskFreeRate, 1 / periodsPerYear) - 1;
  const annFactor = Math.sqrt(periodsPerYear);

  // Compounding and drawdown.
  let equity = 1;
  let peak = 1;
  let peakIndex = 0;
  let maxDrawdown = 0;
  let maxDrawdownStart: number | null = null;
  let maxDrawdownEnd: number | null = null;
  let best = -Infinity;
  let worst = Infinity;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    equity *= 1 + r;
    const k = i + 1;
    if (equity > peak) {
      peak = equity;
      peakIndex = k;
    } else {
      const dd = 1 - equity / peak;
      if (dd > maxDrawdown) {
        maxDrawdown = dd;
        maxDrawdownStart = peakIndex;
        maxDrawdownEnd = k;
      }
    }
    if (r > best) best = r;
    if (r < worst) worst = r;
    if (r > 0) hits++;
  }
  const totalReturn = equity - 1;
  const cagr = equity > 0 ? Math.pow(equity, periodsPerYear / n) - 1 : -1;

  // Moments.
  const m = mean(returns);
  // A constant series has exactly zero dispersion; rounding in the mean must not fake one.
  const sd = best === worst ? 0 : Math.sqrt(covariance(returns, returns, m, m));
  const excessMean = m - rfp;
  let downsideSq = 0;
  for (const r of returns) {
    const d = Math.min(0, r - rfp);
    downsideSq += d * d;
  }
  const downside = Math.sqrt(downsideSq / n);

  // Benchmark-relative.
  let beta: number | null = null;
  let alpha: number | null = null;
  let correlation: number | null = null;
  if (benchmark !== undefined) {
    const mb = mean(benchmark);
    const constantB = benchmark.every((x) => x === benchmark[0]);
    const varB = constantB ? 0 : covariance(benchmark, benchmark, mb, mb);
    const cov = covariance(returns, benchmark, m, mb);
    if (varB > 0) {
      beta = cov / varB;
      alpha = (excessMean - beta * (mb - rfp)) * periodsPerYear;
      if (sd > 0) correlation = Math.max(-1, Math.min(1, cov / (sd * Math.sqrt(varB))));
    }
  }

  // Historical VaR / CVaR (lower empirical quantile; see header).
  const sorted = Float64Array.from(returns).sort();
  const tailCount = Math.min(n, Math.max(1, Math.ceil((1 - varConfidence) * n - 1e-9)));
  let tailSum = 0;
  for (let i = 0; i < tailCount; i++) tailSum += sorted[i]!;
  const valueAtRisk = loss(sorted[tailCount - 1]!);

  return {
    periods: n,
    totalReturn,
    cagr,
    annualizedVolatility: sd * annFactor,
    sharpe: sd > 0 ? (excessMean / sd) * annFactor : null,
    sortino: downside > 0 ? (excessMean / downside) * annFactor : null,
    maxDrawdown,
    maxDrawdownStart,
    maxDrawdownEnd,
    calmar: maxDrawdown > 0 ? cagr / maxDrawdown : null,
    beta,
    alpha,
    correlation,
    historicalVaR: valueAtRisk,
    // Never below VaR: the mean of the k worst returns is at most the k-th worst, and a
    // rounding ulp in the sum must not say otherwise.
    historicalCVaR: Math.max(valueAtRisk, loss(tailSum / tailCount)),
    bestPeriod: best,
    worstPeriod: worst,
    hitRate: hits / n,
  };
}
