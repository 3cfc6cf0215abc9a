import { describe, expect, it } from "vitest";
import { baseRate, brierScore, constantForecastMetrics, logLoss, reliabilityTable, rocAuc } from "./metrics.js";

describe("rocAuc", () => {
  it("is 1 for a perfect ranking, 0 for a reversed one, 0.5 for constant scores", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it("counts mis-ordered pairs (the textbook example: 0.75)", () => {
    // sklearn's roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 15);
  });

  it("counts ties between a positive and a negative as one half", () => {
    // Pairs (pos, neg): (0.5, 0.5) tie → ½, (0.5, 0.1) win → 1, (0.9, 0.5) → 1, (0.9, 0.1) → 1 → 3.5 / 4.
    expect(rocAuc([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBeCloseTo(0.875, 15);
    // Brute-force check on data with many ties.
    const p = [0.2, 0.2, 0.4, 0.4, 0.4, 0.6, 0.6, 0.9, 0.1, 0.9];
    const y = [0, 1, 0, 1, 1, 0, 1, 1, 0, 0];
    let num = 0;
    let den = 0;
    for (let i = 0; i < p.length; i++) {
      for (let j = 0; j < p.length; j++) {
        if (y[i] === 1 && y[j] === 0) {
          den++;
          num += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
        }
      }
    }
    expect(rocAuc(p, y)).toBeCloseTo(num / den, 15);
  });

  it("is NaN with one class and throws on mismatched or non-binary input", () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
    expect(() => rocAuc([0.1], [1, 0])).toThrow(/1 predictions but 2 labels/);
    expect(() => rocAuc([0.1], [2])).toThrow(/expected 0 or 1/);
    expect(() => rocAuc([], [])).toThrow(/no rows/);
  });
});

describe("Brier score, log loss, base rate", () => {
  it("computes known values", () => {
    expect(brierScore([0.9, 0.2, 0.5], [1, 0, 1])).toBeCloseTo((0.01 + 0.04 + 0.25) / 3, 15);
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 15);
    expect(baseRate([1, 0, 1, 1])).toBe(0.75);
  });

  it("clips log loss so a confident miss is finite", () => {
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true);
    expect(logLoss([0, 1], [1, 0])).toBeCloseTo(-Math.log(1e-15), 2);
  });

  it("gives the constant-forecast baseline: Brier = b(1−b) and log loss = entropy when the rate is the observed one", () => {
    const y = [1, 1, 1, 0];
    const m = constantForecastMetrics(0.75, y);
    expect(m.auc).toBe(0.5);
    expect(m.brier).toBeCloseTo(0.75 * 0.25, 15);
    expect(m.logLoss).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 15);
  });
});

describe("reliabilityTable", () => {
  it("puts forecasts into 10 equal-width bins with counts, mean forecast and observed frequency", () => {
    const p = [0.05, 0.15, 0.15, 0.55, 0.58, 1.0, 0.0];
    const y = [0, 1, 0, 1, 1, 1, 0];
    const t = reliabilityTable(p, y);
    expect(t).toHaveLength(10);
    expect(t[0]).toMatchObject({ lo: 0, hi: 0.1, count: 2, observedFrequency: 0 });
    expect(t[0]!.meanPredicted).toBeCloseTo(0.025, 15);
    expect(t[1]).toMatchObject({ count: 2, observedFrequency: 0.5 });
    expect(t[5]).toMatchObject({ count: 2, observedFrequency: 1 });
    expect(t[9]).toMatchObject({ count: 1, meanPredicted: 1, observedFrequency: 1 }); // 1.0 lands in the last bin
    expect(t[3]).toMatchObject({ count: 0, meanPredicted: null, observedFrequency: null });
    expect(t.reduce((s, b) => s + b.count, 0)).toBe(p.length);
  });

  it("quantile bins hold equal counts", () => {
    const p = Array.from({ length: 100 }, (_, i) => 0.5 + i / 1000);
    const y = p.map((_, i) => i % 2);
    const t = reliabilityTable(p, y, { strategy: "quantile" });
    expect(t.map((b) => b.count)).toEqual(Array(10).fill(10));
    expect(t[0]!.lo).toBe(0.5);
    expect(t[9]!.hi).toBeCloseTo(0.599, 15);
  });
});
