import * as it_ from "indicatorts";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { sma, SmaStream } from "./sma.js";
import {
  alignRight,
  firstDefined,
  HAVE_DAILY,
  loadDaily,
  maxError,
  PEER_SYMBOLS,
  plain,
  SAME_ALGORITHM_TOL,
  SKIP_REASON,
} from "./test-support.js";

// Errors are |ours − peer| / max(1, |peer|): relative for prices (all > 1 here), absolute below 1.
describe.skipIf(!HAVE_DAILY)(`sma against peers on real daily closes (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    for (const period of [5, 20, 50]) {
      it(`${symbol} sma(${period}) matches technicalindicators, trading-signals and indicatorts within 1e-9 from the first value`, () => {
        const c = loadDaily(symbol);
        const ours = sma(c.close, period);
        expect(ours).toHaveLength(c.n);
        expect(firstDefined(ours)).toBe(period - 1);
        const tiOut = alignRight(ti.SMA.calculate({ period, values: plain(c.close) }), c.n);
        expect(maxError(ours, tiOut, period - 1).err).toBeLessThan(SAME_ALGORITHM_TOL);
        const tsSma = new ts.SMA(period);
        const tsOut = plain(c.close).map((x) => tsSma.add(x) ?? NaN);
        expect(maxError(ours, tsOut, period - 1).err).toBeLessThan(SAME_ALGORITHM_TOL);
        // indicatorts emits partial means during warm-up; compare from the first full window.
        expect(maxError(ours, it_.sma(plain(c.close), { period }), period - 1).err).toBeLessThan(SAME_ALGORITHM_TOL);
      });
    }
  }
});

describe("sma numerics", () => {
  it("recovers full precision as soon as a 1e14 bad tick leaves the window, unlike a plain running sum", () => {
    const n = 6000;
    const period = 20;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = 100 + Math.sin(i / 7) * 3 + (i % 13) * 0.01;
    x[1000] = 1e14;
    const ours = sma(x, period);
    // Plain running sum, no recompute: the spike's rounding error (~1e-2) stays in the sum forever.
    const plainSum = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += x[i]! - (i >= period ? x[i - period]! : 0);
      plainSum[i] = s / period;
    }
    const exact = (i: number): number => {
      let t = 0;
      for (let j = i - period + 1; j <= i; j++) t += x[j]!;
      return t / period;
    };
    let oursErr = 0;
    let plainErr = 0;
    // From the bar where the spike leaves the window (i = 1020) on.
    for (let i = 1000 + period; i < n; i++) {
      oursErr = Math.max(oursErr, Math.abs(ours[i]! - exact(i)) / exact(i));
      plainErr = Math.max(plainErr, Math.abs(plainSum[i]! - exact(i)) / exact(i));
    }
    expect(oursErr).toBeLessThan(1e-14);
    expect(plainErr).toBeGreaterThan(1e-6);
  });

  it("returns the mean of the window and NaN before it is full", () => {
    const out = sma(new Float64Array([1, 2, 3, 4, 5, 6]), 3);
    expect(Array.from(out)).toEqual([NaN, NaN, 2, 3, 4, 5]);
    const s = new SmaStream(3);
    expect([1, 2, 3, 4, 5, 6].map((v) => s.next(v))).toEqual([NaN, NaN, 2, 3, 4, 5]);
  });

  it("period 1 is the input itself", () => {
    const x = new Float64Array([3.5, -1, 7.25]);
    expect(Array.from(sma(x, 1))).toEqual([3.5, -1, 7.25]);
  });
});
