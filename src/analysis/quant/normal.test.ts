import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf } from "./normal.js";

// Φ(x) to 20 significant digits, computed with 120-digit decimal arithmetic (erf Taylor
// series for |x| < 5, the Laplace continued fraction for the tail; the two agree to 20
// digits at x = −10).
const REFERENCE: [number, number][] = [
  [-37, 5.72557122252457682268e-300],
  [-30, 4.90671392714818705953e-198],
  [-20, 2.75362411860623369508e-89],
  [-10, 7.61985302416052606597e-24],
  [-8.5, 9.47953482220331835415e-18],
  [-6, 9.86587645037698140701e-10],
  [-5.657, 7.70208817217760211739e-9],
  [-5, 2.86651571879193911674e-7],
  [-3, 1.34989803163009452665e-3],
  [-2, 2.27501319481792072003e-2],
  [-1, 1.58655253931457051415e-1],
  [-0.67, 2.51428895095310114291e-1],
  [-0.5, 3.08537538725986896362e-1],
  [-1e-10, 4.9999999996010577196e-1],
  [0, 0.5],
  [0.3, 6.17911422188952637307e-1],
  [0.67449, 7.50000079381826299176e-1],
  [1, 8.41344746068542948585e-1],
  [1.5, 9.33192798731141933996e-1],
  [2.5, 9.93790334674223864833e-1],
  [4, 9.99968328758166880079e-1],
  [7, 9.99999999998720187456e-1],
];

describe("normalCdf (Cody)", () => {
  it.each(REFERENCE)("Φ(%d) matches the 20-digit reference to 1e-14 relative", (x, expected) => {
    const got = normalCdf(x);
    expect(Math.abs(got - expected) / expected).toBeLessThan(1e-14);
  });

  it("is symmetric: Φ(x) + Φ(−x) = 1", () => {
    for (let x = -6; x <= 6; x += 0.173) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });

  it("is monotone across the interval boundaries", () => {
    let prev = 0;
    for (let x = -40; x <= 10; x += 0.001) {
      const v = normalCdf(x);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it("saturates beyond the representable range and passes NaN through", () => {
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe("normalPdf", () => {
  it("matches exp(−x²/2)/√(2π) and is the derivative of the CDF", () => {
    for (const x of [-8, -3, -1, 0, 0.5, 2, 5]) {
      expect(normalPdf(x)).toBeCloseTo(Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI), 15);
      // Differentiate in the lower tail (φ is even), where Φ keeps its relative precision.
      const y = -Math.abs(x);
      const h = 1e-6;
      const fd = (normalCdf(y + h) - normalCdf(y - h)) / (2 * h);
      expect(Math.abs(fd - normalPdf(x)) / normalPdf(x)).toBeLessThan(1e-8);
    }
    expect(normalPdf(0)).toBe(0.3989422804014327);
    expect(normalPdf(50)).toBe(0);
    expect(normalPdf(Number.NaN)).toBeNaN();
  });
});
