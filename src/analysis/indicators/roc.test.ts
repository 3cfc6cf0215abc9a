import * as it_ from "indicatorts";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { roc } from "./roc.js";
import { alignRight, firstDefined, HAVE_DAILY, loadDaily, maxError, PEER_SYMBOLS, plain, SAME_ALGORITHM_TOL, SKIP_REASON } from "./test-support.js";

// ROC is in percent; errors are absolute below 1% and relative above.
describe.skipIf(!HAVE_DAILY)(`roc against peers on real daily closes (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    for (const period of [1, 12, 63]) {
      it(`${symbol} roc(${period}) matches technicalindicators, indicatorts and trading-signals (×100) within 1e-9`, () => {
        const c = loadDaily(symbol);
        const ours = roc(c.close, period);
        expect(firstDefined(ours)).toBe(period);
        const close = plain(c.close);
        expect(maxError(ours, alignRight(ti.ROC.calculate({ period, values: close }), c.n), period).err).toBeLessThan(SAME_ALGORITHM_TOL);
        // indicatorts writes 0 during warm-up; compare from the first value.
        expect(maxError(ours, it_.roc(close, { period }), period).err).toBeLessThan(SAME_ALGORITHM_TOL);
        const tsRoc = new ts.ROC(period);
        const tsOut = close.map((x) => {
          const v = tsRoc.add(x);
          return v === null ? NaN : 100 * v;
        });
        expect(maxError(ours, tsOut, period).err).toBeLessThan(SAME_ALGORITHM_TOL);
      });
    }
  }
});

describe("roc basics", () => {
  it("is the percent change over `period` bars", () => {
    const out = roc(new Float64Array([100, 110, 121, 99]), 2);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(21, 12);
    expect(out[3]).toBeCloseTo(-10, 12);
  });
});
