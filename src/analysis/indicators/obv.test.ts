import * as it_ from "indicatorts";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { obv, ObvStream } from "./obv.js";
import { firstDifference, HAVE_DAILY, loadDaily, PEER_SYMBOLS, plain, SKIP_REASON } from "./test-support.js";

// Volumes are whole numbers, so OBV is an exact integer sum: compared with toBe, no tolerance.
// Level conventions: Argus and indicatorts start at 0 on the first bar; technicalindicators
// omits the first bar (its output[i − 1] is OBV[i]); trading-signals' OBV(2) has no value
// for the first bar and equals OBV[i] from i = 1.
describe.skipIf(!HAVE_DAILY)(`obv against peers on real daily bars (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    it(`${symbol} obv equals indicatorts, technicalindicators (shifted by one bar) and trading-signals exactly`, () => {
      const c = loadDaily(symbol);
      const ours = obv(c.close, c.volume);
      expect(ours[0]).toBe(0);
      expect(firstDifference(ours, it_.obv(plain(c.close), plain(c.volume)))).toBeNull();
      const tiOut = ti.OBV.calculate({ close: plain(c.close), volume: plain(c.volume) });
      expect(tiOut).toHaveLength(c.n - 1);
      expect(firstDifference(ours.subarray(1), tiOut)).toBeNull();
      const tsObv = new ts.OBV(2);
      const tsOut = plain(c.close).map((_, i) => tsObv.add({ open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! }) ?? NaN);
      expect(tsOut[0]).toBeNaN();
      expect(firstDifference(ours.subarray(1), tsOut.slice(1))).toBeNull();
    });
  }
});

describe("obv basics", () => {
  it("adds on up closes, subtracts on down closes, ignores unchanged closes", () => {
    const close = new Float64Array([10, 11, 11, 9, 12]);
    const volume = new Float64Array([100, 200, 300, 400, 500]);
    expect(Array.from(obv(close, volume))).toEqual([0, 200, 200, -200, 300]);
    const s = new ObvStream();
    expect(Array.from(close, (c, i) => s.next(c, volume[i]!))).toEqual([0, 200, 200, -200, 300]);
  });
});
