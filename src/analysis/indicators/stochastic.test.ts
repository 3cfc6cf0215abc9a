import * as it_ from "indicatorts";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { sma } from "./sma.js";
import { stochastic, StochasticStream } from "./stochastic.js";
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

const PARAMS = [
  [14, 3],
  [5, 3],
  [21, 5],
] as const;

// %K and %D on the 0..100 scale; errors absolute below 1, relative above.
// Peers: technicalindicators Stochastic, trading-signals StochasticOscillator with
// kSlowingPeriod 1 (fast %K), indicatorts stoch (partial windows before warm-up).
describe.skipIf(!HAVE_DAILY)(`stochastic against peers on real daily bars (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    for (const [kPeriod, dPeriod] of PARAMS) {
      const kStart = kPeriod - 1;
      const dStart = kPeriod + dPeriod - 2;
      it(`${symbol} stochastic(${kPeriod},${dPeriod}) matches technicalindicators, trading-signals and indicatorts within 1e-9`, () => {
        const c = loadDaily(symbol);
        const ours = stochastic(c.high, c.low, c.close, kPeriod, dPeriod);
        expect(firstDefined(ours.k)).toBe(kStart);
        expect(firstDefined(ours.d)).toBe(dStart);
        const high = plain(c.high);
        const low = plain(c.low);
        const close = plain(c.close);

        const tiRaw = ti.Stochastic.calculate({ period: kPeriod, signalPeriod: dPeriod, high, low, close });
        expect(maxError(ours.k, alignRight(tiRaw.map((r) => r.k), c.n), kStart).err).toBeLessThan(SAME_ALGORITHM_TOL);
        expect(maxError(ours.d, alignRight(tiRaw.map((r) => r.d ?? NaN), c.n), dStart).err).toBeLessThan(SAME_ALGORITHM_TOL);

        const tsSt = new ts.StochasticOscillator({ kPeriod, kSlowingPeriod: 1, dPeriod });
        const tsRaw = close.map((_, i) => tsSt.add({ high: high[i]!, low: low[i]!, close: close[i]! }));
        // trading-signals reports only once %D exists; compare both lines from there.
        expect(maxError(ours.k, tsRaw.map((r) => r?.stochK ?? NaN), dStart).err).toBeLessThan(SAME_ALGORITHM_TOL);
        expect(maxError(ours.d, tsRaw.map((r) => r?.stochD ?? NaN), dStart).err).toBeLessThan(SAME_ALGORITHM_TOL);

        const itOut = it_.stoch(high, low, close, { kPeriod, dPeriod });
        expect(maxError(ours.k, itOut.k, kStart).err).toBeLessThan(SAME_ALGORITHM_TOL);
        expect(maxError(ours.d, itOut.d, dStart).err).toBeLessThan(SAME_ALGORITHM_TOL);
      });
    }

    it(`${symbol}: %D is bit-identical to the SMA of %K`, () => {
      const c = loadDaily(symbol);
      const out = stochastic(c.high, c.low, c.close, 14, 3);
      const d = sma(out.k.subarray(13), 3);
      expect(firstDifference(out.d.subarray(13), d)).toBeNull();
    });
  }
});

describe("stochastic edge cases", () => {
  it("a window with no range reads 50 (technicalindicators and trading-signals say 0, indicatorts NaN)", () => {
    const n = 20;
    const flat = new Float64Array(n).fill(10);
    const ours = stochastic(flat, flat, flat, 5, 3);
    expect(ours.k[10]).toBe(50);
    expect(ours.d[10]).toBe(50);
    const s = new StochasticStream(5, 3);
    let last = { k: NaN, d: NaN };
    for (let i = 0; i < n; i++) last = s.next(10, 10, 10);
    expect(last).toEqual({ k: 50, d: 50 });
    const arr = Array.from(flat);
    expect(ti.Stochastic.calculate({ period: 5, signalPeriod: 3, high: arr, low: arr, close: arr })[5]!.k).toBe(0);
    const tsSt = new ts.StochasticOscillator({ kPeriod: 5, kSlowingPeriod: 1, dPeriod: 3 });
    const tsLast = arr.map(() => tsSt.add({ high: 10, low: 10, close: 10 })).at(-1);
    expect(tsLast?.stochK).toBe(0);
    expect(it_.stoch(arr, arr, arr, { kPeriod: 5, dPeriod: 3 }).k[10]).toBeNaN();
  });

  it("tracks the window max/min through a monotonic run longer than the window", () => {
    // Falling highs make the deque evict by age, rising lows by value.
    const n = 40;
    const high = new Float64Array(n);
    const low = new Float64Array(n);
    const close = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      high[i] = 200 - i;
      low[i] = 50 + (i % 10);
      close[i] = 100 + Math.sin(i);
    }
    const out = stochastic(high, low, close, 7, 3);
    for (let i = 6; i < n; i++) {
      let hh = -Infinity;
      let ll = Infinity;
      for (let j = i - 6; j <= i; j++) {
        hh = Math.max(hh, high[j]!);
        ll = Math.min(ll, low[j]!);
      }
      expect(out.k[i]).toBe(((close[i]! - ll) / (hh - ll)) * 100);
    }
  });
});
