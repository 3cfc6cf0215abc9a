import * as it_ from "indicatorts";
import * as ti from "technicalindicators";
import * as ts from "trading-signals";
import { describe, expect, it } from "vitest";
import { ema } from "./ema.js";
import { macd } from "./macd.js";
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

const PARAMS = [
  [12, 26, 9],
  [5, 35, 5],
  [8, 17, 9],
] as const;

// MACD values are price differences, mostly below 1 in magnitude: the error metric
// |ours − peer| / max(1, |peer|) is then an absolute error in dollars.
describe.skipIf(!HAVE_DAILY)(`macd against peers on real daily closes (${SKIP_REASON})`, () => {
  for (const symbol of PEER_SYMBOLS) {
    for (const [fast, slow, signal] of PARAMS) {
      const m = slow - 1;
      const sigStart = slow + signal - 2;
      it(`${symbol} macd(${fast},${slow},${signal}) matches technicalindicators with EMA oscillator and signal (same SMA seeds) within 1e-9`, () => {
        const c = loadDaily(symbol);
        const ours = macd(c.close, fast, slow, signal);
        expect(firstDefined(ours.macd)).toBe(m);
        expect(firstDefined(ours.signal)).toBe(sigStart);
        expect(firstDefined(ours.histogram)).toBe(sigStart);
        const raw = ti.MACD.calculate({ values: plain(c.close), fastPeriod: fast, slowPeriod: slow, signalPeriod: signal, SimpleMAOscillator: false, SimpleMASignal: false });
        const pick = (k: "MACD" | "signal" | "histogram") => alignRight(raw.map((r) => r[k] ?? NaN), c.n);
        expect(maxError(ours.macd, pick("MACD"), m).err).toBeLessThan(SAME_ALGORITHM_TOL);
        expect(maxError(ours.signal, pick("signal"), sigStart).err).toBeLessThan(SAME_ALGORITHM_TOL);
        expect(maxError(ours.histogram, pick("histogram"), sigStart).err).toBeLessThan(SAME_ALGORITHM_TOL);
      });

      it(`${symbol} macd(${fast},${slow},${signal}) vs trading-signals and indicatorts (first-value-seeded EMAs): differ at first, within 1e-6 after 10 × slow bars`, () => {
        const c = loadDaily(symbol);
        const ours = macd(c.close, fast, slow, signal);
        const tsMacd = new ts.MACD(new ts.EMA(fast), new ts.EMA(slow), new ts.EMA(signal));
        const tsRaw = plain(c.close).map((x) => tsMacd.add(x));
        const tsSignal = tsRaw.map((r) => r?.signal ?? NaN);
        const tsLine = tsRaw.map((r) => r?.macd ?? NaN);
        const itRaw = it_.macd(plain(c.close), { fast, slow, signal });
        const from = 10 * slow;
        for (const [line, sig] of [
          [tsLine, tsSignal],
          [itRaw.macdLine, itRaw.signalLine],
        ] as const) {
          expect(maxError(ours.signal, sig, sigStart, sigStart + 1).err).toBeGreaterThan(1e-4);
          expect(maxError(ours.macd, line, from).err).toBeLessThan(DECAYED_TOL);
          expect(maxError(ours.signal, sig, from).err).toBeLessThan(DECAYED_TOL);
        }
      });
    }
  }

  it("the MACD line is exactly ema(fast) − ema(slow)", () => {
    const c = loadDaily("JPM");
    const ours = macd(c.close, 12, 26, 9);
    const f = ema(c.close, 12);
    const s = ema(c.close, 26);
    for (let i = 25; i < c.n; i++) expect(ours.macd[i]).toBe(f[i]! - s[i]!);
  });
});
