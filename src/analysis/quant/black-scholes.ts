/**
 * European option pricing under Black–Scholes–Merton with a continuous dividend yield q,
 * and implied volatility. Pure functions: no clock, no data access.
 *
 * Conventions (all inputs and outputs are in these units, always):
 * - `years`: time to expiry in years (ACT/365 is the caller's choice; 1 day = 1/365).
 * - `rate`, `dividendYield`, `volatility`: annual, continuously compounded, as decimals
 *   (0.05 = 5%). `volatility` must be > 0; `rate` and `dividendYield` may be negative.
 * - d1 = (ln(S/K) + (r − q + σ²/2)·T) / (σ√T), d2 = d1 − σ√T.
 *   call = S·e^(−qT)·N(d1) − K·e^(−rT)·N(d2); put = K·e^(−rT)·N(−d2) − S·e^(−qT)·N(−d1).
 *   The put uses N(−d) directly (not 1 − N(d)), so far out-of-the-money prices keep their
 *   relative precision.
 * - Greeks are exact partial derivatives of the price:
 *   delta = ∂V/∂S, gamma = ∂²V/∂S²;
 *   vega = ∂V/∂σ per 1.00 of volatility (σ from 0.20 to 1.20), `vegaPerPoint` = vega/100
 *     (per one volatility point, 0.20 → 0.21), the number trading screens show;
 *   theta = ∂V/∂t = −∂V/∂T per YEAR of calendar time passing (usually negative: the
 *     option loses value as time passes), `thetaPerDay` = theta/365;
 *   rho = ∂V/∂r per 1.00 of rate, `rhoPerPoint` = rho/100 (per 1 percentage point).
 *
 * Implied volatility: the price is first mapped, by put–call parity, to the option that is
 * out of the money relative to the forward (an ITM call becomes the OTM put with the same
 * time value). That price runs from 0 to its upper bound and is strictly increasing in σ,
 * so a root on σ ∈ [1e−6, 5] is unique. The solver is Newton's method started at the
 * Manaster–Koehler point σ₀ = √(2|ln(F/K)|/T) (where vega peaks, from which Newton is
 * monotone) or, near the money, the Brenner–Subrahmanyam approximation
 * σ₀ = √(2π/T)·price/(S·e^(−qT)); every step that leaves the current sign-bracket, or
 * does not halve the residual fast enough, is replaced by bisection (Numerical Recipes'
 * rtsafe), so it always converges. Accuracy is limited by the input price itself: an
 * error of one ulp in the price moves σ by about ulp/vega, so options with almost no
 * vega (very deep in the money, a day from expiry) have an ill-determined volatility.
 *
 * Errors are ArgusError("INVALID_INPUT") with a sentence saying what to change.
 */
import { ArgusError } from "../../core/errors.js";
import { normalCdf, normalPdf } from "./normal.js";

export type OptionType = "call" | "put";

export interface OptionInput {
  type: OptionType;
  /** Underlying price, > 0. */
  spot: number;
  /** Strike, > 0. */
  strike: number;
  /** Time to expiry in years, > 0. */
  years: number;
  /** Annual continuously compounded risk-free rate, e.g. 0.05. */
  rate: number;
  /** Annual volatility as a decimal, e.g. 0.2 for 20%; > 0. */
  volatility: number;
  /** Annual continuous dividend yield, e.g. 0.015; default 0. */
  dividendYield?: number;
}

export interface OptionResult {
  price: number;
  delta: number;
  gamma: number;
  /** ∂price/∂σ per 1.00 of volatility. */
  vega: number;
  /** vega / 100: per one volatility point. */
  vegaPerPoint: number;
  /** ∂price/∂t per year of calendar time passing (= −∂price/∂T). */
  theta: number;
  /** theta / 365. */
  thetaPerDay: number;
  /** ∂price/∂r per 1.00 of rate. */
  rho: number;
  /** rho / 100: per one percentage point of rate. */
  rhoPerPoint: number;
  d1: number;
  d2: number;
}

export interface ImpliedVolatilityInput {
  type: OptionType;
  spot: number;
  strike: number;
  years: number;
  rate: number;
  dividendYield?: number;
  /** Observed option price. */
  price: number;
}

export interface ImpliedVolatilityResult {
  volatility: number;
  /** Newton or bisection steps taken. */
  iterations: number;
  /** False only if the iteration cap was hit before the tolerance was met. */
  converged: boolean;
}

/** The solver's search interval for σ. */
export const IV_MIN = 1e-6;
export const IV_MAX = 5;
const IV_MAX_ITERATIONS = 200;
/** Stop when a step moves σ by less than this (absolute; σ ≤ 5). */
const IV_TOLERANCE = 1e-13;

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new ArgusError("INVALID_INPUT", message, details);
}

function requireFinite(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    invalid(`${name} must be a finite number; got ${String(v)}.`, { field: name });
  }
  return v;
}

function requirePositive(name: string, v: unknown, hint: string): number {
  const x = requireFinite(name, v);
  if (!(x > 0)) invalid(`${name} must be greater than 0 (${hint}); got ${x}.`, { field: name, value: x });
  return x;
}

function requireType(t: unknown): OptionType {
  if (t !== "call" && t !== "put") invalid(`type must be "call" or "put"; got ${JSON.stringify(t)}.`, { field: "type" });
  return t;
}

interface Validated {
  type: OptionType;
  spot: number;
  strike: number;
  years: number;
  rate: number;
  q: number;
}

function validateCommon(input: {
  type: unknown;
  spot: unknown;
  strike: unknown;
  years: unknown;
  rate: unknown;
  dividendYield?: unknown;
}): Validated {
  return {
    type: requireType(input.type),
    spot: requirePositive("spot", input.spot, "the underlying price"),
    strike: requirePositive("strike", input.strike, "the exercise price"),
    years: requirePositive(
      "years",
      input.years,
      "time to expiry in years; an expired option is worth its intrinsic value and has no volatility",
    ),
    rate: requireFinite("rate", input.rate),
    q: input.dividendYield === undefined ? 0 : requireFinite("dividendYield", input.dividendYield),
  };
}

/** Price and vega only, no validation: the inner loop of the IV solver. */
function priceAndVega(v: Validated, sigma: number): { price: number; vega: number } {
  const sqrtT = Math.sqrt(v.years);
  const sst = sigma * sqrtT;
  const d1 = (Math.log(v.spot / v.strike) + (v.rate - v.q + 0.5 * sigma * sigma) * v.years) / sst;
  const d2 = d1 - sst;
  const sDisc = v.spot * Math.exp(-v.q * v.years);
  const kDisc = v.strike * Math.exp(-v.rate * v.years);
  const price =
    v.type === "call" ? sDisc * normalCdf(d1) - kDisc * normalCdf(d2) : kDisc * normalCdf(-d2) - sDisc * normalCdf(-d1);
  return { price, vega: sDisc * normalPdf(d1) * sqrtT };
}

/** Black–Scholes–Merton price and greeks of a European call or put. */
export function priceOption(input: OptionInput): OptionResult {
  const v = validateCommon(input);
  const sigma = requirePositive("volatility", input.volatility, "annual volatility as a decimal, e.g. 0.2 for 20%");
  const { spot: S, strike: K, years: T, rate: r, q } = v;
  const sqrtT = Math.sqrt(T);
  const sst = sigma * sqrtT;
  const d1 = (Math.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / sst;
  const d2 = d1 - sst;
  const dq = Math.exp(-q * T);
  const dr = Math.exp(-r * T);
  const sDisc = S * dq;
  const kDisc = K * dr;
  const pdf1 = normalPdf(d1);

  const gamma = (dq * pdf1) / (S * sst);
  const vega = sDisc * pdf1 * sqrtT;
  const decay = -(sDisc * pdf1 * sigma) / (2 * sqrtT);

  let price: number;
  let delta: number;
  let theta: number;
  let rho: number;
  if (v.type === "call") {
    const n1 = normalCdf(d1);
    const n2 = normalCdf(d2);
    price = sDisc * n1 - kDisc * n2;
    delta = dq * n1;
    theta = decay - r * kDisc * n2 + q * sDisc * n1;
    rho = K * T * dr * n2;
  } else {
    const m1 = normalCdf(-d1);
    const m2 = normalCdf(-d2);
    price = kDisc * m2 - sDisc * m1;
    delta = -dq * m1;
    theta = decay + r * kDisc * m2 - q * sDisc * m1;
    rho = -K * T * dr * m2;
  }
  return {
    price,
    delta,
    gamma,
    vega,
    vegaPerPoint: vega / 100,
    theta,
    thetaPerDay: theta / 365,
    rho,
    rhoPerPoint: rho / 100,
    d1,
    d2,
  };
}

/** Volatility σ at which the Black–Scholes–Merton price equals `price`. */
export function impliedVolatility(input: ImpliedVolatilityInput): ImpliedVolatilityResult {
  const v = validateCommon(input);
  const price = requireFinite("price", input.price);
  const { spot: S, strike: K, years: T, rate: r, q } = v;
  const sDisc = S * Math.exp(-q * T);
  const kDisc = K * Math.exp(-r * T);

  // No-arbitrage bounds of the quoted option.
  const lower = v.type === "call" ? Math.max(sDisc - kDisc, 0) : Math.max(kDisc - sDisc, 0);
  const upper = v.type === "call" ? sDisc : kDisc;
  const bounds = { lower, upper, price };
  if (price <= lower) {
    invalid(
      price < lower
        ? `A ${v.type} price of ${price} is below its no-arbitrage lower bound ${lower} (the discounted intrinsic value ` +
            `${v.type === "call" ? "S·e^(−qT) − K·e^(−rT)" : "K·e^(−rT) − S·e^(−qT)"}); check the price, spot, strike, rate and dividend yield.`
        : `A ${v.type} price of ${price} equals its discounted intrinsic value, so it has no time value and no implied volatility; ` +
            `use a quote with time value (e.g. the mid price) or the out-of-the-money option at the same strike.`,
      { field: "price", ...bounds },
    );
  }
  if (price >= upper) {
    invalid(
      `A ${v.type} price of ${price} is at or above its no-arbitrage upper bound ${upper} ` +
        `(${v.type === "call" ? "a call is worth less than the discounted spot S·e^(−qT)" : "a put is worth less than the discounted strike K·e^(−rT)"}); ` +
        `check the price, spot, strike and rate.`,
      { field: "price", ...bounds },
    );
  }

  // Solve on the option that is out of the money relative to the forward: its price is
  // pure time value, running from 0 to its own upper bound.
  const otmType: OptionType = sDisc >= kDisc ? "put" : "call";
  const target = otmType === v.type ? price : otmType === "put" ? price - sDisc + kDisc : price + sDisc - kDisc;
  const w: Validated = { ...v, type: otmType };
  const f = (sigma: number): { f: number; vega: number } => {
    const pv = priceAndVega(w, sigma);
    return { f: pv.price - target, vega: pv.vega };
  };

  let lo = IV_MIN;
  let hi = IV_MAX;
  const fLo = f(lo).f;
  const fHi = f(hi).f;
  if (fLo > 0) {
    invalid(
      `The price ${price} implies a volatility below ${IV_MIN} (its time value is almost zero); ` +
        `the solver searches [${IV_MIN}, ${IV_MAX}]. Check that the price is not stale or rounded to intrinsic value.`,
      { field: "price", ...bounds },
    );
  }
  if (fHi < 0) {
    invalid(
      `The price ${price} implies a volatility above ${IV_MAX * 100}% a year, outside the solver's range [${IV_MIN}, ${IV_MAX}]; ` +
        `check the price, the expiry in years and the strike.`,
      { field: "price", ...bounds },
    );
  }
  if (fLo === 0) return { volatility: lo, iterations: 0, converged: true };
  if (fHi === 0) return { volatility: hi, iterations: 0, converged: true };

  // Initial guess.
  const F = sDisc / Math.exp(-r * T); // forward price S·e^((r−q)T)
  const logMoneyness = Math.abs(Math.log(F / K));
  let sigma = Math.sqrt((2 * logMoneyness) / T);
  if (!(sigma > 0.01)) sigma = Math.sqrt((2 * Math.PI) / T) * (target / (otmType === "call" ? sDisc : kDisc));
  if (!(sigma > lo && sigma < hi)) sigma = 0.5 * (lo + hi);

  let dxOld = hi - lo;
  let dx = dxOld;
  let { f: fx, vega } = f(sigma);
  for (let i = 1; i <= IV_MAX_ITERATIONS; i++) {
    if (fx === 0) return { volatility: sigma, iterations: i - 1, converged: true };
    if (fx < 0) lo = sigma;
    else hi = sigma;
    const newtonLeaves = ((sigma - hi) * vega - fx) * ((sigma - lo) * vega - fx) >= 0; // step lands outside (lo, hi)
    const tooSlow = Math.abs(2 * fx) > Math.abs(dxOld * vega);
    dxOld = dx;
    if (!(vega > 0) || newtonLeaves || tooSlow) {
      dx = 0.5 * (hi - lo);
      sigma = lo + dx;
    } else {
      dx = fx / vega;
      sigma -= dx;
    }
    if (Math.abs(dx) <= IV_TOLERANCE || hi - lo <= 4 * Number.EPSILON * sigma) {
      return { volatility: sigma, iterations: i, converged: true };
    }
    ({ f: fx, vega } = f(sigma));
  }
  return { volatility: sigma, iterations: IV_MAX_ITERATIONS, converged: false };
}
