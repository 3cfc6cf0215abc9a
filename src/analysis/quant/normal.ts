/**
 * The standard normal distribution, to full double precision, with no dependencies.
 *
 * `normalCdf` is W. J. Cody's rational Chebyshev approximation (ANORM, "Rational
 * Chebyshev approximations for the error function", Math. Comp. 1969; the form in
 * ACM TOMS Algorithm 715), the same algorithm R's `pnorm` uses. Three intervals:
 *   |x| ≤ 0.67448975      Φ(x) = ½ + x·R₁(x²)
 *   0.674… < |x| ≤ √32    tail = exp(−x²/2)·R₂(|x|)
 *   √32 < |x| < 37.5193   tail = exp(−x²/2)·(1/√(2π) − R₃(1/x²)/x²)/|x|
 * The exponential is split as exp(−xs²/2)·exp(−(x−xs)(x+xs)/2) with xs = x rounded down
 * to a multiple of 1/16, which keeps the rounding error of x² out of the result. The
 * tail is computed directly (never as 1 − Φ), so Φ(−10) ≈ 7.6e−24 keeps full relative
 * precision. Relative error is about 1e−15 across the range; the tests check it against
 * 50-digit reference values.
 *
 * Why not an npm package: none is a dependency of the project, and the common short
 * approximations (Abramowitz–Stegun 26.2.17, error ~7.5e−8) are far too coarse for
 * implied-volatility inversion and finite-difference checks of the greeks.
 */

const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113] as const;
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const;
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
] as const;
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
] as const;
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303] as const;
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5] as const;

/** 1/√(2π). */
export const INV_SQRT_2PI = 0.398942280401432677939946059934;
const SQRT_32 = 5.656854249492380195206754896838;
const HALF_EPS = Number.EPSILON * 0.5;

/** exp(−x²/2)·factor with the x² rounding error split out (Cody's "del" trick). */
function gaussTail(x: number, factor: number): number {
  const xsq = Math.trunc(x * 16) / 16;
  const del = (x - xsq) * (x + xsq);
  return Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5) * factor;
}

/** Standard normal cumulative distribution Φ(x) = P(Z ≤ x). NaN in, NaN out. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    let xnum = 0;
    let xden = 0;
    if (y > HALF_EPS) {
      const xsq = x * x;
      xnum = A[4] * xsq;
      xden = xsq;
      for (let i = 0; i < 3; i++) {
        xnum = (xnum + A[i]!) * xsq;
        xden = (xden + B[i]!) * xsq;
      }
    }
    return 0.5 + (x * (xnum + A[3])) / (xden + B[3]);
  }
  let tail: number; // P(Z > y) = Φ(−y)
  if (y <= SQRT_32) {
    let xnum = C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y;
      xden = (xden + D[i]!) * y;
    }
    tail = gaussTail(y, (xnum + C[7]) / (xden + D[7]));
  } else if (y < 37.5193) {
    const xsq = 1 / (x * x);
    let xnum = P[5] * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]!) * xsq;
      xden = (xden + Q[i]!) * xsq;
    }
    const r = (xsq * (xnum + P[4])) / (xden + Q[4]);
    tail = gaussTail(y, (INV_SQRT_2PI - r) / y);
  } else {
    tail = 0;
  }
  return x > 0 ? 1 - tail : tail;
}

/** Standard normal density φ(x) = exp(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y > 40) return 0;
  return gaussTail(y, INV_SQRT_2PI);
}
