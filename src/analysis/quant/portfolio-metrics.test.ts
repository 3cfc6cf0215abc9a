import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../../data/bar.js";
import { alignByTime, portfolioMetrics, returnsFromPrices, weightedReturns } from "./portfolio-metrics.js";

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

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

/** Deterministic pseudo-random returns (LCG), roughly N(μ, σ) by a sum of uniforms. */
function randomReturns(n: number, seed: number, mu = 0.0004, sigma = 0.01): Float64Array {
  let s = seed;
  const u = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = -6;
    for (let k = 0; k < 12; k++) z += u();
    out[i] = mu + sigma * z;
  }
  return out;
}

describe("portfolioMetrics: a hand-computed case", () => {
  // Four periods, periodsPerYear = 4 so the series is exactly one year.
  const r = f64([0.1, -0.2, 0.05, 0.1]);
  const b = f64([0.05, -0.1, 0, 0.05]);
  const sd = Math.sqrt(0.061875 / 3); // deviations from the mean 0.0125: .0875, −.2125, .0375, .0875

  it("computes returns, risk, drawdown, VaR and hit rate", () => {
    const m = portfolioMetrics({ returns: r, periodsPerYear: 4 });
    expect(m.periods).toBe(4);
    expect(m.totalReturn).toBeCloseTo(0.0164, 14); // 1.1 · 0.8 · 1.05 · 1.1 − 1
    expect(m.cagr).toBeCloseTo(0.0164, 14); // exactly one year
    expect(m.annualizedVolatility).toBeCloseTo(sd * 2, 14);
    expect(m.sharpe).toBeCloseTo((0.0125 / sd) * 2, 12);
    // Downside deviation: only −0.2 is below the target 0 → √(0.04 / 4) = 0.1.
    expect(m.sortino).toBeCloseTo((0.0125 / 0.1) * 2, 12);
    // Equity 1 → 1.1 → 0.88 → 0.924 → 1.0164: peak at index 1, trough at index 2.
    expect(m.maxDrawdown).toBeCloseTo(0.2, 14);
    expect(m.maxDrawdownStart).toBe(1);
    expect(m.maxDrawdownEnd).toBe(2);
    expect(m.calmar).toBeCloseTo(0.0164 / 0.2, 12);
    expect(m.historicalVaR).toBeCloseTo(0.2, 15); // k = ⌈0.05 · 4⌉ = 1: the worst period
    expect(m.historicalCVaR).toBeCloseTo(0.2, 15);
    expect(m.bestPeriod).toBe(0.1);
    expect(m.worstPeriod).toBe(-0.2);
    expect(m.hitRate).toBe(0.75);
    expect(m.beta).toBeNull();
    expect(m.alpha).toBeNull();
    expect(m.correlation).toBeNull();
  });

  it("computes beta, alpha and correlation against a benchmark", () => {
    const m = portfolioMetrics({ returns: r, benchmark: b, periodsPerYear: 4 });
    // mean(b) = 0, cov = 0.03 / 3 = 0.01, var(b) = 0.015 / 3 = 0.005.
    expect(m.beta).toBeCloseTo(2, 13);
    expect(m.alpha).toBeCloseTo(0.0125 * 4, 13);
    expect(m.correlation).toBeCloseTo(0.01 / Math.sqrt((0.061875 / 3) * 0.005), 13);
  });

  it("uses a geometric per-period risk-free rate for Sharpe, Sortino and alpha", () => {
    const rf = Math.pow(1.01, 4) - 1; // exactly 1% per period
    const m = portfolioMetrics({ returns: r, benchmark: b, periodsPerYear: 4, riskFreeRate: rf });
    expect(m.sharpe).toBeCloseTo((0.0025 / sd) * 2, 12);
    // Excess returns .09, −.21, .04, .09: downside deviation √(0.0441 / 4) = 0.105.
    expect(m.sortino).toBeCloseTo((0.0025 / 0.105) * 2, 12);
    // Jensen: (0.0025 − 2 · (0 − 0.01)) · 4.
    expect(m.alpha).toBeCloseTo(0.09, 12);
    expect(m.beta).toBeCloseTo(2, 13); // unaffected by rf
  });

  it("takes the lower empirical quantile for VaR and averages the same tail for CVaR", () => {
    // Sorted: −0.2, 0.05, 0.1, 0.1. At 50%: k = 2.
    const m = portfolioMetrics({ returns: r, periodsPerYear: 4, varConfidence: 0.5 });
    expect(m.historicalVaR).toBeCloseTo(-0.05, 15); // the 2nd worst period was a gain
    expect(m.historicalCVaR).toBeCloseTo(0.075, 15);
  });
});

describe("portfolioMetrics: VaR tail count is exact at round numbers", () => {
  it("uses k = 1 for 20 periods at 95% although (1 − 0.95) · 20 is 1.0000000000000009 in floating point", () => {
    const returns = f64(Array.from({ length: 20 }, (_, i) => (i - 5) / 100)); // −0.05 … 0.14
    const m = portfolioMetrics({ returns, varConfidence: 0.95 });
    expect(m.historicalVaR).toBeCloseTo(0.05, 15);
    expect(m.historicalCVaR).toBeCloseTo(0.05, 15);
    const m99 = portfolioMetrics({ returns: f64([...returns, ...returns.map((x) => x + 0.001)]), varConfidence: 0.95 });
    expect(m99.historicalVaR).toBeCloseTo(0.049, 15); // 40 periods → k = 2
    expect(m99.historicalCVaR).toBeCloseTo(0.0495, 15);
  });
});

describe("portfolioMetrics: invariants", () => {
  const r = randomReturns(500, 7);
  const b = randomReturns(500, 99, 0.0003, 0.012);

  it("a series against itself has beta 1, correlation 1 and alpha 0", () => {
    const m = portfolioMetrics({ returns: r, benchmark: r, riskFreeRate: 0.03 });
    expect(m.beta).toBeCloseTo(1, 14);
    expect(m.correlation).toBeCloseTo(1, 14);
    expect(m.alpha).toBeCloseTo(0, 14);
  });

  it("scaling returns by 2 doubles volatility, beta and VaR and keeps correlation and Sharpe (rf = 0)", () => {
    const a = portfolioMetrics({ returns: r, benchmark: b });
    const r2 = r.map((x) => 2 * x);
    const c = portfolioMetrics({ returns: r2, benchmark: b });
    expect(c.annualizedVolatility).toBeCloseTo(2 * a.annualizedVolatility, 14);
    expect(c.beta!).toBeCloseTo(2 * a.beta!, 12);
    expect(c.correlation!).toBeCloseTo(a.correlation!, 12);
    expect(c.sharpe!).toBeCloseTo(a.sharpe!, 12);
    expect(c.sortino!).toBeCloseTo(a.sortino!, 12);
    expect(c.historicalVaR).toBeCloseTo(2 * a.historicalVaR, 14);
  });

  it("a series that only rises has no drawdown", () => {
    const up = f64([0.01, 0.02, 0, 0.005, 0.03]);
    const m = portfolioMetrics({ returns: up });
    expect(m.maxDrawdown).toBe(0);
    expect(m.maxDrawdownStart).toBeNull();
    expect(m.maxDrawdownEnd).toBeNull();
    expect(m.calmar).toBeNull();
    expect(m.sortino).toBeNull(); // no period below the target
    expect(m.hitRate).toBe(0.8); // the flat period is not a hit
  });

  it("CVaR ≥ VaR at every confidence, and both grow with confidence", () => {
    let prevVar = -Infinity;
    for (const c of [0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999]) {
      const m = portfolioMetrics({ returns: r, varConfidence: c });
      expect(m.historicalCVaR).toBeGreaterThanOrEqual(m.historicalVaR);
      expect(m.historicalVaR).toBeGreaterThanOrEqual(prevVar);
      prevVar = m.historicalVaR;
    }
    expect(portfolioMetrics({ returns: r, varConfidence: 0.999 }).historicalVaR).toBe(-Math.min(...r));
  });

  it("the drawdown never exceeds 1 and matches a brute-force search", () => {
    const m = portfolioMetrics({ returns: r });
    const eq = [1];
    for (const x of r) eq.push(eq[eq.length - 1]! * (1 + x));
    let best = 0;
    for (let j = 0; j < eq.length; j++) for (let k = j; k < eq.length; k++) best = Math.max(best, 1 - eq[k]! / eq[j]!);
    expect(m.maxDrawdown).toBeCloseTo(best, 14);
    expect(1 - eq[m.maxDrawdownEnd!]! / eq[m.maxDrawdownStart!]!).toBeCloseTo(best, 14);
    expect(m.maxDrawdown).toBeLessThanOrEqual(1);
  });

  it("cagr annualises by periodsPerYear", () => {
    const monthly = f64(Array.from({ length: 24 }, () => 0.01));
    const m = portfolioMetrics({ returns: monthly, periodsPerYear: 12 });
    expect(m.cagr).toBeCloseTo(Math.pow(1.01, 12) - 1, 14);
    expect(m.annualizedVolatility).toBe(0);
    expect(m.sharpe).toBeNull(); // no dispersion: the ratio is undefined, not Infinity
  });

  it("a total loss gives cagr −1 and a drawdown of 1", () => {
    const m = portfolioMetrics({ returns: f64([0.1, -1, 0]) });
    expect(m.totalReturn).toBe(-1);
    expect(m.cagr).toBe(-1);
    expect(m.maxDrawdown).toBe(1);
  });

  it("a constant benchmark gives null beta, alpha and correlation", () => {
    const m = portfolioMetrics({ returns: f64([0.01, -0.02, 0.03]), benchmark: f64([0.001, 0.001, 0.001]) });
    expect(m.beta).toBeNull();
    expect(m.alpha).toBeNull();
    expect(m.correlation).toBeNull();
  });
});

describe("portfolioMetrics: validation", () => {
  it("rejects too few returns, mismatched lengths and non-finite values", () => {
    expectInvalid(() => portfolioMetrics({ returns: f64([0.01]) }), /at least 2/);
    expectInvalid(() => portfolioMetrics({ returns: f64([]) }), /at least 2/);
    expectInvalid(() => portfolioMetrics({ returns: f64([0.01, 0.02, 0.03]), benchmark: f64([0.01, 0.02]) }), /align them first/);
    expectInvalid(() => portfolioMetrics({ returns: f64([0.01, Number.NaN]) }), /returns\[1\] is NaN/);
    expectInvalid(() => portfolioMetrics({ returns: f64([0.01, 0.02]), benchmark: f64([Infinity, 0]) }), /benchmark\[0\] is Infinity/);
    expectInvalid(() => portfolioMetrics({ returns: f64([0.01, -1.5]) }), /more than 100%/);
  });

  it("rejects bad parameters", () => {
    const returns = f64([0.01, 0.02]);
    expectInvalid(() => portfolioMetrics({ returns, periodsPerYear: 0 }), /periodsPerYear must be a positive number/);
    expectInvalid(() => portfolioMetrics({ returns, riskFreeRate: Number.NaN }), /riskFreeRate/);
    expectInvalid(() => portfolioMetrics({ returns, varConfidence: 1 }), /strictly between 0 and 1/);
    expectInvalid(() => portfolioMetrics({ returns, varConfidence: 95 }), /strictly between 0 and 1/);
    expectInvalid(() => portfolioMetrics({ returns: [0.01, 0.02] as unknown as Float64Array }), /Float64Array/);
  });
});

describe("returnsFromPrices", () => {
  it("turns closes into simple returns whose drawdown indexes point at the closes", () => {
    const closes = f64([100, 120, 90, 130, 60]);
    const r = returnsFromPrices(closes);
    expect(Array.from(r)).toEqual([0.19999999999999996, -0.25, 0.4444444444444444, -0.5384615384615384]);
    const m = portfolioMetrics({ returns: r });
    expect(m.maxDrawdownStart).toBe(3); // closes[3] = 130
    expect(m.maxDrawdownEnd).toBe(4); // closes[4] = 60
    expect(m.maxDrawdown).toBeCloseTo(1 - 60 / 130, 14);
    expect(m.totalReturn).toBeCloseTo(-0.4, 14);
  });

  it("rejects fewer than 2 closes and non-positive or non-finite closes", () => {
    expectInvalid(() => returnsFromPrices(f64([100])), /at least 2/);
    expectInvalid(() => returnsFromPrices(f64([100, 0, 5])), /closes\[1\] is 0; prices must be greater than 0/);
    expectInvalid(() => returnsFromPrices(f64([100, Number.NaN])), /closes\[1\] is NaN/);
  });
});

describe("alignByTime", () => {
  it("inner-joins on t, sorted ascending, whatever the input order", () => {
    const a = [
      { t: 3, close: 13 },
      { t: 1, close: 11 },
      { t: 2, close: 12 },
      { t: 5, close: 15 },
    ];
    const b = [
      { t: 5, close: 25 },
      { t: 2, close: 22 },
      { t: 4, close: 24 },
      { t: 3, close: 23 },
    ];
    const out = alignByTime(a, b);
    expect(out.t).toEqual([2, 3, 5]);
    expect(Array.from(out.a)).toEqual([12, 13, 15]);
    expect(Array.from(out.b)).toEqual([22, 23, 25]);
  });

  it("accepts bars and feeds portfolioMetrics with a benchmark", () => {
    const day = 86_400_000;
    const bar = (i: number, close: number): Bar => ({ t: i * day, open: close, high: close, low: close, close, volume: 1 });
    const port = [bar(0, 100), bar(1, 101), bar(2, 99), bar(4, 103)];
    const bench = [bar(0, 50), bar(2, 49), bar(3, 51), bar(4, 52)];
    const al = alignByTime(port, bench);
    expect(al.t).toEqual([0, 2 * day, 4 * day]);
    const m = portfolioMetrics({ returns: returnsFromPrices(al.a), benchmark: returnsFromPrices(al.b) });
    expect(m.periods).toBe(2);
    expect(m.beta).not.toBeNull();
  });

  it("returns empty arrays when the series do not overlap", () => {
    const out = alignByTime([{ t: 1, close: 1 }], [{ t: 2, close: 2 }]);
    expect(out.t).toEqual([]);
    expect(out.a.length).toBe(0);
  });

  it("rejects duplicate timestamps and non-finite values", () => {
    expectInvalid(() => alignByTime([{ t: 1, close: 1 }, { t: 1, close: 2 }], []), /two points at t=1/);
    expectInvalid(() => alignByTime([], [{ t: 1, close: Number.NaN }]), /b\[0\]\.close is NaN/);
    expectInvalid(() => alignByTime([{ t: Number.NaN, close: 1 }], []), /a\[0\]\.t is NaN/);
  });
});

describe("weightedReturns", () => {
  const s1 = f64([0.1, 0, -0.05]);
  const s2 = f64([-0.1, 0.2, 0.02]);

  it("daily rebalancing is the weighted sum of returns", () => {
    const out = weightedReturns([s1, s2], [0.5, 0.5], "daily");
    expect(out[0]).toBeCloseTo(0, 15);
    expect(out[1]).toBeCloseTo(0.1, 15);
    expect(out[2]).toBeCloseTo(-0.015, 15);
  });

  it("buy and hold lets the weights drift with each holding's value", () => {
    const out = weightedReturns([s1, s2], [0.5, 0.5], "none");
    // After period 0: holdings 0.55 and 0.45 (total 1.00); period 1: 0.55 and 0.54 → 1.09.
    expect(out[0]).toBeCloseTo(0, 15);
    expect(out[1]).toBeCloseTo(0.09, 15);
    // Period 2: 0.55 · 0.95 + 0.54 · 1.02 = 0.5225 + 0.5508 = 1.0733.
    expect(out[2]).toBeCloseTo(1.0733 / 1.09 - 1, 14);
    // The compounded buy-and-hold return equals the weighted sum of each asset's total return.
    const total = out.reduce((e, r) => e * (1 + r), 1) - 1;
    const each = (s: Float64Array): number => s.reduce((e, r) => e * (1 + r), 1) - 1;
    expect(total).toBeCloseTo(0.5 * each(s1) + 0.5 * each(s2), 14);
  });

  it("with one asset both modes return that asset's returns", () => {
    expect(Array.from(weightedReturns([s1], [1], "daily"))).toEqual(Array.from(s1));
    const held = weightedReturns([s1], [1], "none");
    s1.forEach((r, i) => expect(held[i]).toBeCloseTo(r, 15));
  });

  it("accepts weights that sum to 1 within 1e-9 (e.g. thirds)", () => {
    expect(() => weightedReturns([s1, s2, s1], [1 / 3, 1 / 3, 1 / 3], "daily")).not.toThrow();
    expect(() => weightedReturns([s1, s2], [0.5 + 5e-10, 0.5], "none")).not.toThrow();
  });

  it("rejects bad weights, mismatched lengths and bad modes", () => {
    expectInvalid(() => weightedReturns([s1, s2], [0.5, 0.4], "daily"), /weights sum to 0\.9.*must sum to 1/);
    expectInvalid(() => weightedReturns([s1, s2], [0.5, 0.5 + 1e-8], "daily"), /must sum to 1/);
    expectInvalid(() => weightedReturns([s1, s2], [1], "daily"), /2 series but 1 weights/);
    expectInvalid(() => weightedReturns([s1, f64([0.1, 0.2])], [0.5, 0.5], "daily"), /series\[1\] has 2 returns but series\[0\] has 3/);
    expectInvalid(() => weightedReturns([], [], "daily"), /at least one return series/);
    expectInvalid(() => weightedReturns([s1, s2], [0.5, Number.NaN], "daily"), /weights\[1\] is NaN/);
    expectInvalid(() => weightedReturns([s1, s2], [0.5, 0.5], "weekly" as "daily"), /rebalance must be/);
    expectInvalid(() => weightedReturns([s1, f64([0, Number.NaN, 0])], [0.5, 0.5], "none"), /series\[1\]\[1\] is NaN/);
  });

  it("rejects buy and hold after the portfolio is wiped out", () => {
    expectInvalid(() => weightedReturns([f64([-1, 0.1])], [1], "none"), /total loss/);
  });
});
