/**
 * The fitted model as plain numbers: standardise, linear score, Platt calibration,
 * sigmoid. This is the training-side reference implementation; the ONNX graph computes
 * the same function (see onnx-export.ts) and tests hold the two within 1e-6.
 */
import { sigmoid, type PlattParams } from "./logistic.js";

export interface LinearProbabilityParams {
  /** Per-feature mean and standard deviation from the TRAIN split. */
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
  /** Weights on the standardised features, and the intercept. */
  weights: ArrayLike<number>;
  bias: number;
  /** Platt scaling fitted on the VALIDATION split: p = σ(a·logit + b). */
  platt: PlattParams;
}

/** Raw (uncalibrated) logit of one row starting at `offset` in `x`. */
export function rawLogit(params: LinearProbabilityParams, x: ArrayLike<number>, offset = 0): number {
  const f = params.weights.length;
  let z = 0;
  for (let j = 0; j < f; j++) z += ((x[offset + j]! - params.mean[j]!) / params.std[j]!) * params.weights[j]!;
  return z + params.bias;
}

/** Calibrated probability of one row. */
export function predictRow(params: LinearProbabilityParams, x: ArrayLike<number>, offset = 0): number {
  return sigmoid(params.platt.a * rawLogit(params, x, offset) + params.platt.b);
}

/** Calibrated probabilities of a rows × F row-major matrix. */
export function predictMatrix(params: LinearProbabilityParams, x: Float64Array, rows: number): Float64Array {
  const f = params.weights.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = predictRow(params, x, r * f);
  return out;
}
