import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { atr } from "./atr.js";
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

// Seeding: Argus and trading-signals count the first bar's high − low as a true range, so
// ATR starts at index period − 1 and the two agree from there. technicalindicators (and
// TA-Lib) skip the first bar: first ATR at index `period`, from a different set of TRs. That
// difference decays like ((period − 1)/period)^n, which needs ~20 × period bars to reach
// 1e-6 (a Wilder recursion is as slow as an EMA of period 2·period − 1).
// indicatorts' atr is a simple moving average of TR, a different indicator: not compared.
describe.skipIf(!HAVE_DAILY)(`atr against peers on real daily bars (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    for (const period of [7, 14, 28]) {
      it(`${symbol} atr(${period}) matches trading-signals (same seed) within 1e-9 from the first value`, () => {
        const c = loadDaily(symbol);
        const ours = atr(c.high, c.low, c.close, period);
        expect(firstDefined(ours)).toBe(period - 1);
        const tsAtr = new ts.ATR(period);
        const tsOut = plain(c.close).map((_, i) => tsAtr.add({ high: c.high[i]!, low: c.low[i]!, close: c.close[i]! }) ?? NaN);
        expect(maxError(ours, tsOut, period - 1).err).toBeLessThan(SAME_ALGORITHM_TOL);
      });

      it(`${symbol} atr(${period}) vs technicalindicators (first bar skipped): differs at first, within 1e-6 after 20 × period bars`, () => {
        const c = loadDaily(symbol);
        const ours = atr(c.high, c.low, c.close, period);
        const tiOut = alignRight(ti.ATR.calculate({ period, high: plain(c.high), low: plain(c.low), close: plain(c.close) }), c.n);
        expect(firstDefined(tiOut)).toBe(period);
        expect(maxError(ours, tiOut, period, period + 1).err).toBeGreaterThan(1e-5);
        expect(maxError(ours, tiOut, 20 * period).err).toBeLessThan(DECAYED_TOL);
      });
    }
  }
});

describe("atr basics", () => {
  it("uses high − low for the first bar and the gap to the previous close afterwards", () => {
    const high = new Float64Array([10, 11, 15]);
    const low = new Float64Array([9, 10, 14]);
    const close = new Float64Array([9.5, 10.5, 14.5]);
    // TR: 10 − 9 = 1; max(1, |11 − 9.5|, |10 − 9.5|) = 1.5; max(1, |15 − 10.5|, |14 − 10.5|) = 4.5.
    // ATR(2): seed (1 + 1.5)/2 = 1.25, then 1.25·½ + 4.5·½ = 2.875.
    const out = atr(high, low, close, 2);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(1.25);
    expect(out[2]).toBe(2.875);
  });
});
