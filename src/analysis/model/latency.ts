/**
 * Batch-1 inference latency of a loaded ProbabilityModel: wall time of each awaited
 * predict() call (tensor creation, onnxruntime run, result read-back), after a warm-up.
 */
import type { ProbabilityModel } from "./probability-model.js";

export interface LatencyResult {
  p50Us: number;
  p99Us: number;
  meanUs: number;
  maxUs: number;
  calls: number;
}

function quantile(sorted: Float64Array, q: number): number {
  // Nearest-rank: the smallest value with at least q of the samples at or below it.
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

export async function benchOnnxLatency(
  model: ProbabilityModel,
  options: { calls?: number; warmup?: number; row?: Float64Array } = {},
): Promise<LatencyResult> {
  const calls = options.calls ?? 10_000;
  const warmup = options.warmup ?? 1_000;
  // A plausible row: small distinct values (the model standardises, so any finite row works).
  const row = options.row ?? Float64Array.from({ length: model.featureNames.length }, (_, j) => 0.01 * (j + 1));
  for (let i = 0; i < warmup; i++) await model.predict(row);
  const samples = new Float64Array(calls);
  let sum = 0;
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    await model.predict(row);
    const us = Number(process.hrtime.bigint() - t0) / 1000;
    samples[i] = us;
    sum += us;
  }
  samples.sort();
  return { p50Us: quantile(samples, 0.5), p99Us: quantile(samples, 0.99), meanUs: sum / calls, maxUs: samples[calls - 1] ?? 0, calls };
}
