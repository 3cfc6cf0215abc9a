import * as it_ from "indicatorts";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { bollinger, BollingerStream } from "./bollinger.js";
import { sma } from "./sma.js";
import {
  alignRight,
  firstDefined,
  firstDifference,
  HAVE_DAILY,
  loadDaily,
  maxError,
  PEER_SYMBOLS,
  plain,
  SAME_ALGORITHM_TOL,
  SKIP_REASON,
} from "./test-support.js";

// All three peers use the POPULATION standard deviation (divide by period), as Argus does.
describe.skipIf(!HAVE_DAILY)(`bollinger against peers on real daily closes (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    for (const [period, k] of [
      [20, 2],
      [10, 1.5],
      [50, 2.5],
    ] as const) {
      const w = period - 1;
      it(`${symbol} bollinger(${period}, ${k}) matches technicalindicators (bands, %B), trading-signals (bands, PercentB, BollingerBandsWidth) and indicatorts (bands) within 1e-9`, () => {
        const c = loadDaily(symbol);
        const ours = bollinger(c.close, period, k);
        for (const out of Object.values(ours)) expect(firstDefined(out)).toBe(w);
        const close = plain(c.close);

        const tiRaw = ti.BollingerBands.calculate({ period, stdDev: k, values: close });
        for (const key of ["middle", "upper", "lower"] as const) {
          expect(maxError(ours[key], alignRight(tiRaw.map((r) => r[key]), c.n), w).err).toBeLessThan(SAME_ALGORITHM_TOL);
        }
        expect(maxError(ours.percentB, alignRight(tiRaw.map((r) => r.pb), c.n), w).err).toBeLessThan(SAME_ALGORITHM_TOL);

        const tsBands = new ts.BollingerBands(period, k);
        const tsRaw = close.map((x) => tsBands.add(x));
        for (const key of ["middle", "upper", "lower"] as const) {
          expect(maxError(ours[key], tsRaw.map((r) => r?.[key] ?? NaN), w).err).toBeLessThan(SAME_ALGORITHM_TOL);
        }
        const tsPb = new ts.PercentB({ interval: period, deviationMultiplier: k });
        expect(maxError(ours.percentB, close.map((x) => tsPb.add(x) ?? NaN), w).err).toBeLessThan(SAME_ALGORITHM_TOL);
        const tsBw = new ts.BollingerBandsWidth(new ts.BollingerBands(period, k));
        expect(maxError(ours.bandwidth, close.map((x) => tsBw.add(x) ?? NaN), w).err).toBeLessThan(SAME_ALGORITHM_TOL);

        if (k === 2) {
          // indicatorts' bb has a fixed multiplier of 2.
          const itOut = it_.bb(close, { period });
          for (const key of ["middle", "upper", "lower"] as const) {
            expect(maxError(ours[key], itOut[key], w).err).toBeLessThan(SAME_ALGORITHM_TOL);
          }
        }
      });
    }

    it(`${symbol}: the bands use the population σ; a sample σ (n − 1) would be wider by √(n/(n − 1))`, () => {
      const c = loadDaily(symbol);
      const period = 20;
      const ours = bollinger(c.close, period, 1);
      let worstPop = 0;
      let minSampleGap = Infinity;
      for (let i = 1000; i < 1100; i++) {
        let mean = 0;
        for (let j = i - period + 1; j <= i; j++) mean += c.close[j]!;
        mean /= period;
        let ss = 0;
        for (let j = i - period + 1; j <= i; j++) ss += (c.close[j]! - mean) ** 2;
        const pop = Math.sqrt(ss / period);
        const sample = Math.sqrt(ss / (period - 1));
        const half = ours.upper[i]! - ours.middle[i]!;
        worstPop = Math.max(worstPop, Math.abs(half - pop) / pop);
        minSampleGap = Math.min(minSampleGap, Math.abs(half - sample) / sample);
      }
      expect(worstPop).toBeLessThan(1e-9);
      expect(minSampleGap).toBeGreaterThan(0.02); // 1 − √(19/20) ≈ 0.0253
    });

    it(`${symbol}: the middle band is bit-identical to sma(close, period)`, () => {
      const c = loadDaily(symbol);
      for (const period of [2, 20, 50]) expect(firstDifference(bollinger(c.close, period).middle, sma(c.close, period))).toBeNull();
    });
  }
});

describe("bollinger numerics and edge cases", () => {
  it("a flat window has zero width: %B 0.5 and bandwidth 0", () => {
    const out = bollinger(new Float64Array(30).fill(42), 20, 2);
    expect(out.upper[25]).toBe(42);
    expect(out.lower[25]).toBe(42);
    expect(out.percentB[25]).toBe(0.5);
    expect(out.bandwidth[25]).toBe(0);
    const s = new BollingerStream(20, 2);
    let last = s.next(42);
    for (let i = 1; i < 30; i++) last = s.next(42);
    expect(last).toEqual({ middle: 42, upper: 42, lower: 42, percentB: 0.5, bandwidth: 0 });
  });

  it("stays accurate as soon as a 1e9 bad tick leaves the window (cancellation-triggered recompute)", () => {
    const n = 4000;
    const period = 20;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = 100 + Math.sin(i / 5) + (i % 7) * 0.01;
    x[500] = 1e9;
    const ours = bollinger(x, period, 2);
    let worst = 0;
    for (let i = 500 + period; i < n; i++) {
      let mean = 0;
      for (let j = i - period + 1; j <= i; j++) mean += x[j]!;
      mean /= period;
      let ss = 0;
      for (let j = i - period + 1; j <= i; j++) ss += (x[j]! - mean) ** 2;
      const sd = Math.sqrt(ss / period);
      worst = Math.max(worst, Math.abs(ours.upper[i]! - ours.middle[i]! - 2 * sd) / sd);
    }
    // The spike leaving shrinks M2 by ~1e17, which triggers an exact recompute at once;
    // without it σ would be off by ~100% until the next periodic recompute (i = 1039).
    expect(worst).toBeLessThan(1e-9);
  });
});
