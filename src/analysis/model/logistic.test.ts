import { describe, expect, it } from "vitest";
import { fitLogistic, fitPlatt, fitStandardizer, logits, sigmoid, solveSpd, standardize } from "./logistic.js";

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

describe("sigmoid and solveSpd", () => {
  it("sigmoid is stable at the extremes", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
  });
  it("solves a small SPD system", () => {
    const a = Float64Array.from([4, 2, 2, 3]);
    const x = solveSpd(a, Float64Array.from([6, 5]), 2);
    expect(x[0]).toBeCloseTo(1, 14);
    expect(x[1]).toBeCloseTo(1, 14);
  });
});

describe("fitLogistic (IRLS)", () => {
  it("recovers known coefficients from simulated data", () => {
    const r = rng(7);
    const rows = 20_000;
    const trueW = [1.5, -0.8, 0];
    const trueB = -0.3;
    const x = new Float64Array(rows * 3);
    const y = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      let z = trueB;
      for (let j = 0; j < 3; j++) {
        x[i * 3 + j] = gauss(r);
        z += trueW[j]! * x[i * 3 + j]!;
      }
      y[i] = r() < sigmoid(z) ? 1 : 0;
    }
    const fit = fitLogistic(x, y, rows, 3, { l2: 1e-6 });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(15);
    expect(fit.weights[0]).toBeCloseTo(1.5, 1);
    expect(fit.weights[1]).toBeCloseTo(-0.8, 1);
    expect(Math.abs(fit.weights[2]!)).toBeLessThan(0.05);
    expect(fit.bias).toBeCloseTo(-0.3, 1);
    // At the optimum the penalised gradient is zero.
    const z = logits(x, rows, 3, fit.weights, fit.bias);
    for (let j = 0; j < 3; j++) {
      let g = 1e-6 * fit.weights[j]!;
      for (let i = 0; i < rows; i++) g += (sigmoid(z[i]!) - y[i]!) * x[i * 3 + j]!;
      expect(Math.abs(g)).toBeLessThan(1e-8);
    }
    // Deterministic: a second fit is bit-identical.
    const again = fitLogistic(x, y, rows, 3, { l2: 1e-6 });
    expect(Array.from(again.weights)).toEqual(Array.from(fit.weights));
    expect(again.bias).toBe(fit.bias);
  });

  it("converges on separable data thanks to the L2 penalty, with finite weights that grow as λ shrinks", () => {
    // y = 1 exactly when x > 0 (perfectly separable), plus one near-duplicate point pair.
    const xs = [-3, -2, -1.5, -1, -0.5, -0.1, 0.1, 0.5, 1, 1.5, 2, 3];
    const x = Float64Array.from(xs);
    const y = xs.map((v) => (v > 0 ? 1 : 0));
    const strong = fitLogistic(x, y, xs.length, 1, { l2: 1 });
    const weak = fitLogistic(x, y, xs.length, 1, { l2: 0.01 });
    expect(strong.converged).toBe(true);
    expect(weak.converged).toBe(true);
    expect(Number.isFinite(weak.weights[0]!)).toBe(true);
    expect(weak.weights[0]!).toBeGreaterThan(strong.weights[0]!);
    expect(strong.weights[0]!).toBeGreaterThan(0);
    // Training points are classified correctly.
    const z = logits(x, xs.length, 1, weak.weights, weak.bias);
    xs.forEach((v, i) => expect(z[i]! > 0).toBe(v > 0));
  });

  it("handles an all-one-class label vector without blowing up (intercept moves, weights stay small)", () => {
    const x = Float64Array.from([1, 2, 3, 4]);
    const fit = fitLogistic(x, [1, 1, 1, 1], 4, 1, { l2: 1, maxIterations: 50 });
    expect(Number.isFinite(fit.bias)).toBe(true);
    expect(fit.bias).toBeGreaterThan(2);
  });

  it("rejects non-finite features and non-binary labels", () => {
    expect(() => fitLogistic(Float64Array.from([NaN]), [1], 1, 1)).toThrow(/non-finite/);
    expect(() => fitLogistic(Float64Array.from([1]), [0.5], 1, 1)).toThrow(/expected 0 or 1/);
  });
});

describe("standardiser", () => {
  it("uses population mean/std and maps constant columns to 0", () => {
    const x = Float64Array.from([1, 5, 3, 5, 5, 5]); // col0: 1,3,5 ; col1: 5,5,5
    const s = fitStandardizer(x, 3, 2);
    expect(Array.from(s.mean)).toEqual([3, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(s.std[1]).toBe(1);
    const z = standardize(x, 3, 2, s);
    expect(z[1]).toBe(0);
    expect(z[0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 15);
  });
});

describe("fitPlatt", () => {
  it("recovers a known miscalibration: true p = σ(0.5·z − 0.2)", () => {
    const r = rng(11);
    const n = 50_000;
    const z = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      z[i] = 3 * gauss(r);
      y[i] = r() < sigmoid(0.5 * z[i]! - 0.2) ? 1 : 0;
    }
    const { a, b } = fitPlatt(z, y);
    expect(a).toBeCloseTo(0.5, 1);
    expect(b).toBeCloseTo(-0.2, 1);
  });

  it("is the identity (a≈1, b≈0) for already-calibrated scores", () => {
    const r = rng(3);
    const n = 50_000;
    const z = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      z[i] = gauss(r);
      y[i] = r() < sigmoid(z[i]!) ? 1 : 0;
    }
    const { a, b } = fitPlatt(z, y);
    expect(Math.abs(a - 1)).toBeLessThan(0.05);
    expect(Math.abs(b)).toBeLessThan(0.05);
  });
});
