/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), plus the feature
 * standardiser it is used with and Platt scaling. Everything is deterministic: no random
 * initialisation, no shuffling, fixed summation order.
 *
 * Matrices are row-major Float64Arrays: row r, column j is at `x[r * cols + j]`.
 */
import { ArgusError } from "../../core/errors.js";

export function sigmoid(z: number): number {
  // Two branches so neither exp() overflows.
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

export interface Standardizer {
  mean: Float64Array;
  /** Population standard deviation; 1 for a constant column so it maps to 0, not NaN. */
  std: Float64Array;
}

/** Column means and population standard deviations of a rows × cols matrix (pass the TRAIN rows only). */
export function fitStandardizer(x: Float64Array, rows: number, cols: number): Standardizer {
  assertShape(x, rows, cols, "fitStandardizer");
  if (rows === 0) throw new ArgusError("INVALID_INPUT", "fitStandardizer: no rows.");
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j]! += x[r * cols + j]!;
  for (let j = 0; j < cols; j++) mean[j]! /= rows;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const d = x[r * cols + j]! - mean[j]!;
      std[j]! += d * d;
    }
  }
  for (let j = 0; j < cols; j++) {
    const s = Math.sqrt(std[j]! / rows);
    std[j] = s > 0 && Number.isFinite(s) ? s : 1;
  }
  return { mean, std };
}

export function standardize(x: Float64Array, rows: number, cols: number, s: Standardizer): Float64Array {
  assertShape(x, rows, cols, "standardize");
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[r * cols + j] = (x[r * cols + j]! - s.mean[j]!) / s.std[j]!;
  }
  return out;
}

export interface LogisticFitOptions {
  /** L2 penalty λ on the weights (not the intercept); the objective is Σ log-loss + λ/2·‖w‖². Default 1. */
  l2?: number;
  /** Newton iterations at most. Default 100. */
  maxIterations?: number;
  /** Stop when the largest parameter step is below this. Default 1e-12. */
  tolerance?: number;
}

export interface LogisticFit {
  weights: Float64Array;
  bias: number;
  iterations: number;
  converged: boolean;
  /** Final value of the penalised objective (sum of log-losses + λ/2·‖w‖²). */
  objective: number;
}

function objectiveOf(x: Float64Array, y: ArrayLike<number>, rows: number, cols: number, beta: Float64Array, l2: number): number {
  let s = 0;
  for (let r = 0; r < rows; r++) {
    let z = beta[cols]!;
    const o = r * cols;
    for (let j = 0; j < cols; j++) z += x[o + j]! * beta[j]!;
    // −log σ(z) = softplus(−z); −log(1 − σ(z)) = softplus(z).
    s += y[r]! === 1 ? softplus(-z) : softplus(z);
  }
  let w2 = 0;
  for (let j = 0; j < cols; j++) w2 += beta[j]! * beta[j]!;
  return s + 0.5 * l2 * w2;
}

/**
 * Fits P(y = 1 | x) = σ(x·w + b) by Newton–Raphson on the penalised log-likelihood, with
 * step halving whenever a full step would raise the objective. With λ > 0 the problem is
 * strictly convex, so this converges even on separable data.
 */
export function fitLogistic(x: Float64Array, y: ArrayLike<number>, rows: number, cols: number, options: LogisticFitOptions = {}): LogisticFit {
  assertShape(x, rows, cols, "fitLogistic");
  if (y.length !== rows) throw new ArgusError("INVALID_INPUT", `fitLogistic: ${rows} rows but ${y.length} labels.`);
  if (rows === 0) throw new ArgusError("INVALID_INPUT", "fitLogistic: no rows.");
  for (let r = 0; r < rows; r++) {
    if (y[r] !== 0 && y[r] !== 1) throw new ArgusError("INVALID_INPUT", `fitLogistic: label at row ${r} is ${y[r]}, expected 0 or 1.`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new ArgusError("INVALID_INPUT", `fitLogistic: non-finite feature at row ${Math.floor(i / cols)}, column ${i % cols}.`);
  }
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-12;
  const k = cols + 1; // weights then intercept
  const beta = new Float64Array(k);
  let objective = objectiveOf(x, y, rows, cols, beta, l2);
  let iterations = 0;
  let converged = false;
  const grad = new Float64Array(k);
  const hess = new Float64Array(k * k);
  const xr = new Float64Array(k);
  xr[cols] = 1;

  while (iterations < maxIterations) {
    iterations++;
    grad.fill(0);
    hess.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let z = beta[cols]!;
      for (let j = 0; j < cols; j++) {
        xr[j] = x[o + j]!;
        z += xr[j]! * beta[j]!;
      }
      const p = sigmoid(z);
      const g = p - y[r]!;
      const w = p * (1 - p);
      for (let a = 0; a < k; a++) {
        const xa = xr[a]!;
        grad[a]! += g * xa;
        const wa = w * xa;
        // Upper triangle only; mirrored below.
        for (let b = a; b < k; b++) hess[a * k + b]! += wa * xr[b]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) hess[a * k + b] = hess[b * k + a]!;
    for (let j = 0; j < cols; j++) {
      grad[j]! += l2 * beta[j]!;
      hess[j * k + j]! += l2;
    }
    // A tiny ridge on the intercept keeps the system solvable when all labels are equal.
    hess[cols * k + cols]! += 1e-12;
    const step = solveSpd(hess, grad, k);

    // Take the full Newton step unless it raises the objective by more than rounding
    // noise; then halve it. (Comparing objectives more strictly than their precision
    // would reject good steps near the optimum.)
    let t = 1;
    const next = new Float64Array(k);
    let nextObjective = Infinity;
    const slack = 1e-9 * Math.max(1, Math.abs(objective));
    for (let halvings = 0; halvings < 60; halvings++) {
      for (let a = 0; a < k; a++) next[a] = beta[a]! - t * step[a]!;
      nextObjective = objectiveOf(x, y, rows, cols, next, l2);
      if (nextObjective <= objective + slack) break;
      t /= 2;
    }
    let maxStep = 0;
    for (let a = 0; a < k; a++) maxStep = Math.max(maxStep, Math.abs(next[a]! - beta[a]!));
    beta.set(next);
    objective = nextObjective;
    if (maxStep < tolerance) {
      converged = true;
      break;
    }
  }
  return { weights: beta.slice(0, cols), bias: beta[cols]!, iterations, converged, objective };
}

/** Solves A·x = b for a symmetric positive-definite A (k×k, row-major) by Cholesky. */
export function solveSpd(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let m = 0; m < j; m++) s -= l[i * k + m]! * l[j * k + m]!;
      if (i === j) {
        if (!(s > 0)) throw new ArgusError("INTERNAL", "solveSpd: matrix is not positive definite.");
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j]!;
      }
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= l[i * k + m]! * z[m]!;
    z[i] = s / l[i * k + i]!;
  }
  const out = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < k; m++) s -= l[m * k + i]! * out[m]!;
    out[i] = s / l[i * k + i]!;
  }
  return out;
}

/** Raw scores (logits) x·w + b for each row. */
export function logits(x: Float64Array, rows: number, cols: number, weights: Float64Array, bias: number): Float64Array {
  assertShape(x, rows, cols, "logits");
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = 0;
    const o = r * cols;
    for (let j = 0; j < cols; j++) z += x[o + j]! * weights[j]!;
    out[r] = z + bias;
  }
  return out;
}

export interface PlattParams {
  /** Slope on the raw logit. */
  a: number;
  /** Offset. Calibrated probability = σ(a·z + b). */
  b: number;
}

/**
 * Platt scaling: fits σ(a·z + b) to labels by maximum likelihood, where z are the raw
 * model's logits on a held-out (validation) set. A 2-parameter logistic regression on
 * one feature, unpenalised but for a 1e-9 ridge that only matters on separable data.
 */
export function fitPlatt(z: ArrayLike<number>, y: ArrayLike<number>): PlattParams {
  const x = Float64Array.from(z as ArrayLike<number>);
  const fit = fitLogistic(x, y, x.length, 1, { l2: 1e-9 });
  return { a: fit.weights[0]!, b: fit.bias };
}

function assertShape(x: Float64Array, rows: number, cols: number, what: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1 || x.length !== rows * cols) {
    throw new ArgusError("INVALID_INPUT", `${what}: matrix has ${x.length} values, expected ${rows} rows × ${cols} columns.`);
  }
}
