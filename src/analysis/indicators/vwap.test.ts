import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { vwap, VwapStream } from "./vwap.js";
import { dayNumber, HAVE_DAILY, HAVE_MINUTE, loadDaily, loadMinute, maxError, SAME_ALGORITHM_TOL, SKIP_REASON, type MinuteColumns } from "./test-support.js";

const MINUTE_SYMBOLS = ["AAPL", "MSFT", "SPY", "QQQ", "JPM", "AMZN"] as const;

/** Straightforward session VWAP: group bars by their New York date, accumulate within each. */
function referenceVwap(c: MinuteColumns): Float64Array {
  const out = new Float64Array(c.n);
  const byDay = new Map<string, number[]>();
  c.stamp.forEach((s, i) => {
    const day = s.slice(0, 10);
    const list = byDay.get(day) ?? [];
    list.push(i);
    byDay.set(day, list);
  });
  for (const idx of byDay.values()) {
    let pv = 0;
    let v = 0;
    for (const i of idx) {
      const tp = (c.high[i]! + c.low[i]! + c.close[i]!) / 3;
      pv += tp * c.volume[i]!;
      v += c.volume[i]!;
      out[i] = pv / v;
    }
  }
  return out;
}

/** Index ranges [from, to) of each session. */
function sessions(c: MinuteColumns): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (let i = 1; i <= c.n; i++) {
    if (i === c.n || c.session[i] !== c.session[from]) {
      out.push([from, i]);
      from = i;
    }
  }
  return out;
}

// VWAP is price-scale: errors relative (all values > 1).
describe.skipIf(!HAVE_MINUTE)(`vwap on real one-minute bars, sessions = New York dates (${SKIP_REASON})`, () => {
  for (const symbol of MINUTE_SYMBOLS) {
    it(`${symbol}: equals a per-date reference computation (5 sessions, reset at each date)`, () => {
      const c = loadMinute(symbol);
      expect(c.stamp[0]!.startsWith("2019-02-11 09:")).toBe(true);
      const ours = vwap(c.high, c.low, c.close, c.volume, c.session);
      expect(sessions(c)).toHaveLength(5);
      expect(maxError(ours, referenceVwap(c), 0).err).toBeLessThan(1e-12);
      // The first bar of every session is that bar's typical price (the sums restarted).
      for (const [from] of sessions(c)) {
        const tp = (c.high[from]! + c.low[from]! + c.close[from]!) / 3;
        expect(Math.abs(ours[from]! - tp) / tp).toBeLessThan(1e-15);
      }
    });

    it(`${symbol}: each session alone matches technicalindicators' and trading-signals' (unanchored) VWAP within 1e-9; across sessions they drift apart`, () => {
      const c = loadMinute(symbol);
      const ours = vwap(c.high, c.low, c.close, c.volume, c.session);
      for (const [from, to] of sessions(c)) {
        const sl = (a: Float64Array) => Array.from(a.subarray(from, to));
        const tiOut = ti.VWAP.calculate({ high: sl(c.high), low: sl(c.low), close: sl(c.close), volume: sl(c.volume) });
        expect(maxError(ours.subarray(from, to), tiOut, 0).err).toBeLessThan(SAME_ALGORITHM_TOL);
        // trading-signals returns null on a zero-volume bar (real here: a few minutes trade
        // nothing) instead of repeating the VWAP; compare the bars it reports.
        const tsV = new ts.VWAP();
        const tsOut = sl(c.close).map((_, k) => tsV.add({ high: c.high[from + k]!, low: c.low[from + k]!, close: c.close[from + k]!, volume: c.volume[from + k]! }) ?? NaN);
        const reported = Float64Array.from(ours.subarray(from, to), (x, k) => (Number.isNaN(tsOut[k]!) ? NaN : x));
        expect(tsOut.filter((x) => !Number.isNaN(x)).length).toBe(sl(c.volume).filter((v) => v > 0).length);
        expect(maxError(reported, tsOut, 0).err).toBeLessThan(SAME_ALGORITHM_TOL);
      }
      // Over the whole week the peers keep accumulating from Monday's open.
      const tiAll = ti.VWAP.calculate({ high: Array.from(c.high), low: Array.from(c.low), close: Array.from(c.close), volume: Array.from(c.volume) });
      const [, [from2, to2]] = sessions(c) as [[number, number], [number, number]];
      expect(maxError(ours, tiAll, from2, to2).err).toBeGreaterThan(1e-4);
    });
  }
});

describe.skipIf(!HAVE_DAILY)(`vwap with one session per daily bar (${SKIP_REASON})`, () => {
  it("is each bar's typical price", () => {
    const c = loadDaily("XOM");
    const days = new Int32Array(c.n).map((_, i) => i);
    const ours = vwap(c.high, c.low, c.close, c.volume, days);
    const tp = Float64Array.from(c.close, (cl, i) => (c.high[i]! + c.low[i]! + cl) / 3);
    expect(maxError(ours, tp, 0).err).toBeLessThan(1e-15);
  });
});

describe("vwap edge cases", () => {
  it("is NaN while a session has no volume yet, then the VWAP of the traded bars", () => {
    const h = new Float64Array([11, 12, 13, 14]);
    const l = new Float64Array([9, 10, 11, 12]);
    const c = new Float64Array([10, 11, 12, 13]);
    const v = new Float64Array([0, 100, 0, 300]);
    const s = new Int32Array([dayNumber("2019-02-11"), dayNumber("2019-02-11"), dayNumber("2019-02-12"), dayNumber("2019-02-12")]);
    const out = vwap(h, l, c, v, s);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(11);
    expect(out[2]).toBeNaN();
    expect(out[3]).toBe(13);
    const st = new VwapStream();
    const streamed = Array.from(h, (_, i) => st.next(h[i]!, l[i]!, c[i]!, v[i]!, s[i]!));
    expect(streamed).toEqual(Array.from(out));
  });
});
