import * as it_ from "indicatorts";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { ema } from "./ema.js";
import { sma } from "./sma.js";
import {
  alignRight,
  DECAYED_TOL,
  firstDefined,
  HAVE_DAILY,
  loadDaily,
  maxError,
  PEER_SYMBOLS,
  plain,
  SAME_ALGORITHM_TOL,
  SKIP_REASON,
} from "./test-support.js";

// Seeding: Argus and technicalindicators seed with the SMA of the first `period` closes, so
// they agree from the first value. trading-signals and indicatorts seed with the first close;
// that difference is large at the start and decays like (1 − 2/(period + 1))^n: after
// 10 × period bars it is below 1e-6 of the price.
describe.skipIf(!HAVE_DAILY)(`ema against peers on real daily closes (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    for (const period of [12, 20, 50]) {
      it(`${symbol} ema(${period}): technicalindicators (same SMA seed) within 1e-9 from the first value`, () => {
        const c = loadDaily(symbol);
        const ours = ema(c.close, period);
        expect(firstDefined(ours)).toBe(period - 1);
        const tiOut = alignRight(ti.EMA.calculate({ period, values: plain(c.close) }), c.n);
        expect(maxError(ours, tiOut, period - 1).err).toBeLessThan(SAME_ALGORITHM_TOL);
      });

      it(`${symbol} ema(${period}): trading-signals and indicatorts (first-value seed) differ at first, agree within 1e-6 after 10 × period bars`, () => {
        const c = loadDaily(symbol);
        const ours = ema(c.close, period);
        const tsEma = new ts.EMA(period);
        const tsOut = plain(c.close).map((x) => tsEma.add(x) ?? NaN);
        const itOut = it_.ema(plain(c.close), { period });
        for (const peer of [tsOut, itOut]) {
          expect(maxError(ours, peer, period - 1, period).err).toBeGreaterThan(1e-4);
          expect(maxError(ours, peer, 10 * period).err).toBeLessThan(DECAYED_TOL);
        }
      });
    }
  }

  it("the seed is bit-identical to the SMA at index period − 1", () => {
    const c = loadDaily("AAPL");
    for (const period of [2, 9, 26]) expect(ema(c.close, period)[period - 1]).toBe(sma(c.close, period)[period - 1]);
  });
});

describe("ema basics", () => {
  it("period 1 is the input; NaN before the seed", () => {
    const x = new Float64Array([2, 4, 8]);
    expect(Array.from(ema(x, 1))).toEqual([2, 4, 8]);
    const out = ema(new Float64Array([1, 2, 3, 4]), 3);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(2);
    expect(out[3]).toBeCloseTo(0.5 * 4 + 0.5 * 2, 15);
  });
});
