import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import { MAD_SCALE, crossSectionalOutliers, type OutlierRow } from "./outliers.js";

function expectInvalid(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ArgusError);
    expect((err as ArgusError).code).toBe("INVALID_INPUT");
    expect((err as ArgusError).message).toMatch(pattern);
    return;
  }
  throw new Error("expected an INVALID_INPUT ArgusError");
}

const ROWS: OutlierRow[] = [
  { symbol: "AAA", values: { pe: 10, ret: 0.01 } },
  { symbol: "BBB", values: { pe: 12, ret: 0.02 } },
  { symbol: "CCC", values: { pe: 11, ret: -0.5 } },
  { symbol: "DDD", values: { pe: 13, ret: 0.015 } },
  { symbol: "EEE", values: { pe: 50, ret: 0 } },
];

describe("crossSectionalOutliers: robust z-scores", () => {
  const res = crossSectionalOutliers(ROWS, { metrics: ["pe", "ret"] });

  it("scores with median and 1.4826·MAD", () => {
    expect(res.robust).toBe(true);
    expect(res.threshold).toBe(2.5);
    const pe = res.metrics[0]!;
    expect(pe.metric).toBe("pe");
    expect(pe.method).toBe("robust");
    expect(pe.center).toBe(12); // median of 10, 11, 12, 13, 50
    expect(pe.scale).toBeCloseTo(MAD_SCALE * 1, 15); // |x − 12| = 2, 0, 1, 1, 38 → MAD 1
    expect(pe.count).toBe(5);
    expect(pe.skipped).toEqual([]);
    expect(pe.scores.map((s) => s.symbol)).toEqual(["AAA", "BBB", "CCC", "DDD", "EEE"]);
    expect(pe.scores[0]!.z).toBeCloseTo(-2 / 1.4826, 12);
    expect(pe.scores[1]!.z).toBe(0);
    expect(pe.scores[4]!.z).toBeCloseTo(38 / 1.4826, 12);
    const ret = res.metrics[1]!;
    expect(ret.center).toBe(0.01);
    expect(ret.scale).toBeCloseTo(1.4826 * 0.01, 15);
  });

  it("lists outliers by |z| descending with their direction", () => {
    expect(res.outliers.map((o) => [o.symbol, o.metric, o.direction])).toEqual([
      ["CCC", "ret", "low"],
      ["EEE", "pe", "high"],
    ]);
    const [low, high] = res.outliers;
    expect(low!.value).toBe(-0.5);
    expect(low!.z).toBeCloseTo(-0.51 / 0.014826, 10);
    expect(high!.value).toBe(50);
    expect(high!.z).toBeCloseTo(38 / 1.4826, 10);
    expect(res.notes).toEqual([]);
  });

  it("is not masked by the outlier itself, unlike the classic z", () => {
    const classic = crossSectionalOutliers(ROWS, { metrics: ["pe"], robust: false });
    const pe = classic.metrics[0]!;
    expect(pe.method).toBe("classic");
    expect(pe.center).toBeCloseTo(19.2, 13);
    expect(pe.scale).toBeCloseTo(Math.sqrt(1190.8 / 4), 12); // sample sd
    expect(pe.scores[4]!.z).toBeCloseTo(30.8 / Math.sqrt(1190.8 / 4), 12); // ≈ 1.79
    expect(classic.outliers).toEqual([]);
  });

  it("takes the mean of the two middle values for an even count", () => {
    const rows = [1, 2, 3, 10].map((v, i) => ({ symbol: `S${i}`, values: { x: v } }));
    const m = crossSectionalOutliers(rows, { metrics: ["x"] }).metrics[0]!;
    expect(m.center).toBe(2.5);
    expect(m.scale).toBeCloseTo(1.4826, 15); // deviations .5 .5 1.5 7.5 → MAD 1
    expect(m.scores[3]!.z).toBeCloseTo(7.5 / 1.4826, 12);
  });

  it("honours a custom threshold, inclusively", () => {
    const rows = [-1, 0, 1].map((v, i) => ({ symbol: `S${i}`, values: { x: v } }));
    const res2 = crossSectionalOutliers(rows, { metrics: ["x"], threshold: 1, robust: false });
    // mean 0, sample sd 1 → z = −1, 0, 1: both ends sit exactly on the threshold.
    expect(res2.outliers.map((o) => [o.symbol, o.z, o.direction])).toEqual([
      ["S0", -1, "low"],
      ["S2", 1, "high"],
    ]);
  });

  it("breaks |z| ties by metric, then symbol", () => {
    const rows = [
      { symbol: "Z", values: { b: -1, a: 1 } },
      { symbol: "Y", values: { b: 0, a: 0 } },
      { symbol: "X", values: { b: 1, a: -1 } },
    ];
    const out = crossSectionalOutliers(rows, { metrics: ["b", "a"], threshold: 1, robust: false }).outliers;
    expect(out.map((o) => `${o.metric}:${o.symbol}`)).toEqual(["a:X", "a:Z", "b:X", "b:Z"]);
  });
});

describe("crossSectionalOutliers: degenerate data", () => {
  it("falls back to mean/std when MAD is 0, and says so", () => {
    const rows = [1, 1, 1, 1, 100].map((v, i) => ({ symbol: `S${i}`, values: { x: v } }));
    const res = crossSectionalOutliers(rows, { metrics: ["x"] });
    const m = res.metrics[0]!;
    expect(m.method).toBe("classic");
    expect(m.center).toBeCloseTo(20.8, 13);
    expect(m.scores[4]!.z).toBeCloseTo(79.2 / Math.sqrt((4 * 19.8 ** 2 + 79.2 ** 2) / 4), 12);
    expect(res.notes.join(" ")).toMatch(/x: the median absolute deviation is 0.*mean and standard deviation were used/);
  });

  it("gives z = 0 for all when every value is equal", () => {
    const rows = [5, 5, 5].map((v, i) => ({ symbol: `S${i}`, values: { x: v } }));
    for (const robust of [true, false]) {
      const res = crossSectionalOutliers(rows, { metrics: ["x"], robust });
      expect(res.metrics[0]!.scores.map((s) => s.z)).toEqual([0, 0, 0]);
      expect(res.metrics[0]!.scale).toBe(0);
      expect(res.outliers).toEqual([]);
      expect(res.notes.join(" ")).toMatch(/every value equals 5; all z-scores are 0/);
    }
  });

  it("skips missing and non-finite values per metric, with a note", () => {
    const rows: OutlierRow[] = [
      ...ROWS.slice(0, 4),
      { symbol: "EEE", values: { pe: Number.NaN, ret: 0 } },
      { symbol: "FFF", values: { ret: 0.005 } },
      { symbol: "GGG", values: { pe: Infinity, ret: 0.012 } },
    ];
    const res = crossSectionalOutliers(rows, { metrics: ["pe", "ret"] });
    const pe = res.metrics[0]!;
    expect(pe.count).toBe(4);
    expect(pe.skipped).toEqual(["EEE", "FFF", "GGG"]);
    expect(pe.scores.map((s) => s.symbol)).toEqual(["AAA", "BBB", "CCC", "DDD"]);
    expect(res.metrics[1]!.count).toBe(7);
    expect(res.metrics[1]!.skipped).toEqual([]);
    expect(res.notes).toEqual(["pe: skipped 3 symbol(s) without a finite value (EEE, FFF, GGG)."]);
  });

  it("computes no z-scores for a metric left with fewer than 3 values", () => {
    const rows: OutlierRow[] = [
      { symbol: "A", values: { x: 1, y: 1 } },
      { symbol: "B", values: { x: 2 } },
      { symbol: "C", values: { x: 3, y: Number.NaN } },
    ];
    const res = crossSectionalOutliers(rows, { metrics: ["x", "y"] });
    const y = res.metrics[1]!;
    expect(y).toEqual({ metric: "y", method: null, center: null, scale: null, count: 1, scores: [], skipped: ["B", "C"] });
    expect(res.notes.join(" ")).toMatch(/y: only 1 symbol\(s\) have a finite value; at least 3 are needed/);
    expect(res.metrics[0]!.scores).toHaveLength(3);
  });

  it("ignores inherited properties as metric values", () => {
    const rows = ["A", "B", "C"].map((symbol) => ({ symbol, values: {} as Record<string, number> }));
    const res = crossSectionalOutliers(rows, { metrics: ["toString"] });
    expect(res.metrics[0]!.count).toBe(0);
  });
});

describe("crossSectionalOutliers: validation", () => {
  it("needs a universe of at least 3 symbols, and says why", () => {
    expectInvalid(() => crossSectionalOutliers(ROWS.slice(0, 2), { metrics: ["pe"] }), /2 symbol\(s\); at least 3.*cross-section/);
    expectInvalid(() => crossSectionalOutliers([], { metrics: ["pe"] }), /0 symbol\(s\)/);
  });

  it("needs at least one metric, each named once", () => {
    expectInvalid(() => crossSectionalOutliers(ROWS, { metrics: [] }), /metrics is empty/);
    expectInvalid(() => crossSectionalOutliers(ROWS, { metrics: ["pe", "pe"] }), /listed twice/);
    expectInvalid(() => crossSectionalOutliers(ROWS, { metrics: [""] }), /non-empty string/);
  });

  it("rejects duplicate symbols and a non-positive threshold", () => {
    expectInvalid(() => crossSectionalOutliers([...ROWS, ROWS[0]!], { metrics: ["pe"] }), /AAA appears twice/);
    expectInvalid(() => crossSectionalOutliers(ROWS, { metrics: ["pe"], threshold: 0 }), /threshold must be a positive number/);
    expectInvalid(() => crossSectionalOutliers(ROWS, { metrics: ["pe"], threshold: Number.NaN }), /threshold/);
  });
});
