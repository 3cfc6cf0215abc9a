import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import { IV_MAX, IV_MIN, impliedVolatility, priceOption, type OptionInput, type OptionType } from "./black-scholes.js";

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}

function expectInvalid(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ArgusError);
    expect((err as ArgusError).code).toBe("INVALID_INPUT");
    expect((err as ArgusError).message).toMatch(pattern);
    return;
  }
  throw new Error("expected an INVALID_INPUT ArgusError");
}

// Reference prices from an independent 120-digit decimal implementation of the same
// formulas (d1, d2, call, put).
const REFERENCE: { input: Omit<OptionInput, "type">; d1: number; d2: number; call: number; put: number }[] = [
  {
    input: { spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 },
    d1: 7.692626281060313809e-1,
    d2: 6.278412718687218760e-1,
    call: 4.759422392871533220,
    put: 8.085993729000935833e-1,
  },
  {
    input: { spot: 49, strike: 50, years: 0.3846, rate: 0.05, volatility: 0.2 },
    d1: 5.417375297830910690e-2,
    d2: -6.985850089140012205e-2,
    call: 2.400461086965661405,
    put: 2.448146933950398323,
  },
  {
    input: { spot: 100, strike: 95, years: 0.75, rate: 0.03, volatility: 0.25, dividendYield: 0.02 },
    d1: 3.798077702026325438e-1,
    d2: 1.633014192565228821e-1,
    call: 1.136317186584011704e1,
    put: 5.738345438900805462,
  },
  {
    input: { spot: 100, strike: 150, years: 1, rate: 0.02, volatility: 0.2, dividendYield: 0.01 },
    d1: -1.877325540540821910,
    d2: -2.077325540540821910,
    call: 2.168186455019987531e-1,
    put: 4.824163626659848873e1,
  },
  {
    input: { spot: 100, strike: 300, years: 0.25, rate: 0.05, volatility: 0.2 },
    d1: -1.081112288668109691e1,
    d2: -1.091112288668109691e1,
    call: 1.374623210907024051e-27,
    put: 1.962733401481644284e2,
  },
  {
    input: { spot: 100, strike: 30, years: 0.25, rate: 0.05, volatility: 0.2 },
    d1: 1.221472804325935993e1,
    d2: 1.211472804325935993e1,
    call: 7.037266598518355716e1,
    put: 1.056403838933470184e-34,
  },
];

describe("priceOption", () => {
  it("reproduces Hull's example: S=42, K=40, r=10%, σ=20%, T=0.5 → call 4.76, put 0.81", () => {
    const base = { spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 };
    const call = priceOption({ type: "call", ...base });
    const put = priceOption({ type: "put", ...base });
    expect(call.price.toFixed(2)).toBe("4.76");
    expect(put.price.toFixed(2)).toBe("0.81");
    expect(call.d1.toFixed(4)).toBe("0.7693");
    expect(call.d2.toFixed(4)).toBe("0.6278");
  });

  it("reproduces Hull's greeks example: S=49, K=50, r=5%, σ=20%, T=20 weeks", () => {
    const g = priceOption({ type: "call", spot: 49, strike: 50, years: 0.3846, rate: 0.05, volatility: 0.2 });
    expect(g.price.toFixed(2)).toBe("2.40");
    expect(g.delta.toFixed(3)).toBe("0.522");
    expect(g.gamma.toFixed(3)).toBe("0.066");
    expect(g.vega.toFixed(1)).toBe("12.1"); // per 1.00 of volatility
    expect(g.vegaPerPoint.toFixed(3)).toBe("0.121"); // per vol point
    expect(g.theta.toFixed(2)).toBe("-4.31"); // per year
    expect(g.thetaPerDay.toFixed(4)).toBe("-0.0118");
    expect(g.rho.toFixed(2)).toBe("8.91"); // per 1.00 of rate
    expect(g.rhoPerPoint.toFixed(4)).toBe("0.0891");
  });

  it.each(REFERENCE.map((r, i) => [i, r] as const))("matches 18-digit reference prices (case %i)", (_i, ref) => {
    const call = priceOption({ type: "call", ...ref.input });
    const put = priceOption({ type: "put", ...ref.input });
    expect(relErr(call.d1, ref.d1)).toBeLessThan(1e-13);
    expect(relErr(call.d2, ref.d2)).toBeLessThan(1e-13);
    expect(relErr(put.d1, ref.d1)).toBeLessThan(1e-13);
    // Far out-of-the-money prices keep relative precision (1e−27 and 1e−34 here).
    expect(relErr(call.price, ref.call)).toBeLessThan(1e-11);
    expect(relErr(put.price, ref.put)).toBeLessThan(1e-11);
  });

  const GRID: Omit<OptionInput, "type">[] = [
    { spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 },
    { spot: 100, strike: 100, years: 1, rate: 0.05, volatility: 0.3, dividendYield: 0.02 },
    { spot: 100, strike: 80, years: 0.1, rate: 0.01, volatility: 0.5, dividendYield: 0.04 },
    { spot: 100, strike: 130, years: 2, rate: -0.005, volatility: 0.15, dividendYield: 0 },
    { spot: 250, strike: 240, years: 5, rate: 0.04, volatility: 0.35, dividendYield: 0.03 },
    { spot: 10, strike: 12, years: 30 / 365, rate: 0.03, volatility: 0.8 },
  ];

  it.each(GRID)("satisfies put–call parity to 1e-10: %o", (p) => {
    const call = priceOption({ type: "call", ...p });
    const put = priceOption({ type: "put", ...p });
    const q = p.dividendYield ?? 0;
    const parity = p.spot * Math.exp(-q * p.years) - p.strike * Math.exp(-p.rate * p.years);
    expect(Math.abs(call.price - put.price - parity)).toBeLessThan(1e-10);
    // Greeks of a call and a put differ by the greeks of the forward.
    expect(call.delta - put.delta).toBeCloseTo(Math.exp(-q * p.years), 12);
    expect(call.gamma).toBeCloseTo(put.gamma, 14);
    expect(call.vega).toBeCloseTo(put.vega, 12);
  });

  describe.each(["call", "put"] as const)("%s greeks equal central finite differences (1e-6 relative)", (type: OptionType) => {
    it.each(GRID)("%o", (p) => {
      const base: OptionInput = { type, ...p };
      const g = priceOption(base);
      const price = (over: Partial<OptionInput>): number => priceOption({ ...base, ...over }).price;
      const cd = (key: "spot" | "volatility" | "rate" | "years", h: number): number =>
        (price({ [key]: base[key] + h }) - price({ [key]: base[key] - h })) / (2 * h);

      const hS = 1e-4 * p.spot;
      const delta = cd("spot", hS);
      const gamma = (price({ spot: p.spot + hS }) - 2 * g.price + price({ spot: p.spot - hS })) / (hS * hS);
      const vega = cd("volatility", 1e-5);
      const rho = cd("rate", 1e-5);
      const theta = -cd("years", 1e-5 * p.years);

      const close = (got: number, fd: number, scale: number): void => {
        // Relative to the greek, or to the option's own scale when the greek is ~0.
        expect(Math.abs(got - fd) / Math.max(Math.abs(fd), scale)).toBeLessThan(1e-6);
      };
      close(g.delta, delta, 1e-3);
      close(g.gamma, gamma, 1e-3 / p.spot);
      close(g.vega, vega, 1e-3 * p.spot);
      close(g.rho, rho, 1e-3 * p.spot);
      close(g.theta, theta, 1e-3 * p.spot);
      expect(g.vegaPerPoint).toBe(g.vega / 100);
      expect(g.thetaPerDay).toBe(g.theta / 365);
      expect(g.rhoPerPoint).toBe(g.rho / 100);
    });
  });

  it("has the expected signs: call delta in (0,1), put delta in (−1,0), gamma and vega > 0", () => {
    for (const p of GRID) {
      const c = priceOption({ type: "call", ...p });
      const u = priceOption({ type: "put", ...p });
      expect(c.delta).toBeGreaterThan(0);
      expect(c.delta).toBeLessThan(1);
      expect(u.delta).toBeLessThan(0);
      expect(u.delta).toBeGreaterThan(-1);
      expect(c.gamma).toBeGreaterThan(0);
      expect(c.vega).toBeGreaterThan(0);
      expect(Number.isFinite(c.theta) && Number.isFinite(u.rho)).toBe(true);
    }
  });

  it("rejects non-positive spot, strike, years and volatility, and non-finite numbers", () => {
    const ok: OptionInput = { type: "call", spot: 100, strike: 100, years: 1, rate: 0.05, volatility: 0.2 };
    expectInvalid(() => priceOption({ ...ok, spot: 0 }), /spot must be greater than 0/);
    expectInvalid(() => priceOption({ ...ok, strike: -5 }), /strike must be greater than 0/);
    expectInvalid(() => priceOption({ ...ok, years: 0 }), /years must be greater than 0.*expired option/);
    expectInvalid(() => priceOption({ ...ok, years: -0.1 }), /years must be greater than 0/);
    expectInvalid(() => priceOption({ ...ok, volatility: 0 }), /volatility must be greater than 0.*0\.2 for 20%/);
    expectInvalid(() => priceOption({ ...ok, volatility: -0.2 }), /volatility must be greater than 0/);
    expectInvalid(() => priceOption({ ...ok, rate: Number.NaN }), /rate must be a finite number/);
    expectInvalid(() => priceOption({ ...ok, dividendYield: Infinity }), /dividendYield must be a finite number/);
    expectInvalid(() => priceOption({ ...ok, type: "straddle" as OptionType }), /type must be "call" or "put"/);
  });
});

describe("impliedVolatility", () => {
  const CASES: { label: string; p: Omit<OptionInput, "type"> }[] = [
    { label: "at the money, 1 year", p: { spot: 100, strike: 100, years: 1, rate: 0.05, volatility: 0.25 } },
    { label: "at the forward exactly", p: { spot: 100, strike: 100 * Math.exp(0.03 * 0.5), years: 0.5, rate: 0.03, volatility: 0.3 } },
    { label: "deep in the money (K = 0.6 S)", p: { spot: 100, strike: 60, years: 1, rate: 0.02, volatility: 0.3 } },
    { label: "deep out of the money (K = 1.6 S)", p: { spot: 100, strike: 160, years: 1, rate: 0.02, volatility: 0.3 } },
    { label: "deep OTM, short expiry", p: { spot: 100, strike: 115, years: 7 / 365, rate: 0.04, volatility: 0.45 } },
    { label: "deep ITM, short expiry", p: { spot: 100, strike: 88, years: 7 / 365, rate: 0.04, volatility: 0.45 } },
    { label: "one day to expiry", p: { spot: 100, strike: 101, years: 1 / 365, rate: 0.05, volatility: 0.2 } },
    { label: "long expiry (10 years) with dividends", p: { spot: 100, strike: 150, years: 10, rate: 0.03, volatility: 0.18, dividendYield: 0.025 } },
    { label: "very long expiry (30 years)", p: { spot: 100, strike: 60, years: 30, rate: 0.04, volatility: 0.22 } },
    { label: "very low volatility", p: { spot: 100, strike: 102, years: 0.5, rate: 0.01, volatility: 0.02 } },
    { label: "very high volatility", p: { spot: 100, strike: 100, years: 0.25, rate: 0.01, volatility: 3.5 } },
    { label: "negative rate", p: { spot: 50, strike: 55, years: 2, rate: -0.01, volatility: 0.4 } },
  ];

  describe.each(["call", "put"] as const)("%s round trip to 1e-8", (type: OptionType) => {
    it.each(CASES)("$label", ({ p }) => {
      const { price } = priceOption({ type, ...p });
      const iv = impliedVolatility({ type, spot: p.spot, strike: p.strike, years: p.years, rate: p.rate, dividendYield: p.dividendYield, price });
      expect(iv.converged).toBe(true);
      expect(iv.iterations).toBeLessThan(60);
      expect(Math.abs(iv.volatility - p.volatility)).toBeLessThan(1e-8);
    });
  });

  it("round-trips 2,000 seeded random contracts to the precision the price allows", () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let checked = 0;
    for (let k = 0; k < 2000; k++) {
      const type: OptionType = rnd() < 0.5 ? "call" : "put";
      const spot = 100;
      const strike = 100 * Math.exp((rnd() - 0.5) * 1.5);
      const years = Math.exp(Math.log(1 / 365) + rnd() * Math.log(30 * 365)); // 1 day … 30 years
      const rate = (rnd() - 0.3) * 0.1;
      const dividendYield = rnd() * 0.05;
      const volatility = 0.02 + rnd() * 2;
      const g = priceOption({ type, spot, strike, years, rate, dividendYield, volatility });
      if (g.vega < 1e-6) continue; // no vega: the price does not determine σ
      checked++;
      const iv = impliedVolatility({ type, spot, strike, years, rate, dividendYield, price: g.price });
      expect(iv.converged).toBe(true);
      // One ulp of the price moves σ by about ulp/vega.
      const limit = (4 * Number.EPSILON * spot) / g.vega;
      expect(Math.abs(iv.volatility - volatility)).toBeLessThan(Math.max(1e-10, 10 * limit));
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it("usually converges in a handful of Newton steps", () => {
    const p = { spot: 100, strike: 110, years: 0.5, rate: 0.03, volatility: 0.27 };
    const { price } = priceOption({ type: "call", ...p });
    const iv = impliedVolatility({ type: "call", ...p, price });
    expect(iv.iterations).toBeLessThanOrEqual(8);
  });

  it("defaults dividendYield to 0", () => {
    const p = { spot: 100, strike: 95, years: 0.4, rate: 0.02, volatility: 0.33 };
    const { price } = priceOption({ type: "put", ...p });
    expect(impliedVolatility({ type: "put", spot: 100, strike: 95, years: 0.4, rate: 0.02, price }).volatility).toBeCloseTo(0.33, 10);
  });

  it("rejects prices outside the no-arbitrage bounds with an actionable message", () => {
    const base = { spot: 100, strike: 90, years: 1, rate: 0.05 };
    const intrinsic = 100 - 90 * Math.exp(-0.05); // ≈ 14.39
    expectInvalid(() => impliedVolatility({ type: "call", ...base, price: 12 }), /below its no-arbitrage lower bound/);
    expectInvalid(() => impliedVolatility({ type: "call", ...base, price: intrinsic }), /no time value/);
    expectInvalid(() => impliedVolatility({ type: "call", ...base, price: 100 }), /at or above its no-arbitrage upper bound.*discounted spot/);
    expectInvalid(() => impliedVolatility({ type: "call", ...base, price: 150 }), /upper bound/);
    expectInvalid(() => impliedVolatility({ type: "put", ...base, price: 90 * Math.exp(-0.05) + 0.01 }), /upper bound.*discounted strike/);
    expectInvalid(() => impliedVolatility({ type: "put", ...base, price: -1 }), /below its no-arbitrage lower bound/);
    expectInvalid(() => impliedVolatility({ type: "put", ...base, price: 0 }), /no time value/);
    try {
      impliedVolatility({ type: "call", ...base, price: 12 });
    } catch (err) {
      expect((err as ArgusError).details).toMatchObject({ field: "price", price: 12 });
      expect(((err as ArgusError).details as { lower: number }).lower).toBeCloseTo(intrinsic, 12);
    }
  });

  it("rejects a price whose volatility lies outside the solver's range", () => {
    const base = { spot: 100, strike: 100, years: 0.25, rate: 0 };
    const atMax = priceOption({ type: "call", ...base, volatility: IV_MAX }).price;
    expectInvalid(() => impliedVolatility({ type: "call", ...base, price: atMax + 0.5 }), /above 500% a year/);
    const atMin = priceOption({ type: "call", ...base, volatility: IV_MIN }).price;
    expectInvalid(() => impliedVolatility({ type: "call", ...base, price: atMin / 2 }), /below 0\.000001/);
  });

  it("rejects invalid contract terms", () => {
    const ok = { type: "call" as const, spot: 100, strike: 100, years: 1, rate: 0.05, price: 10 };
    expectInvalid(() => impliedVolatility({ ...ok, years: 0 }), /years must be greater than 0/);
    expectInvalid(() => impliedVolatility({ ...ok, spot: -1 }), /spot must be greater than 0/);
    expectInvalid(() => impliedVolatility({ ...ok, strike: 0 }), /strike must be greater than 0/);
    expectInvalid(() => impliedVolatility({ ...ok, price: Number.NaN }), /price must be a finite number/);
  });
});
