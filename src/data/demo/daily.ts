import { Rng } from "./rng.js";
import { MARKET_VOL, type SymbolParams } from "./universe.js";

/**
 * Daily simulation: factor paths, then each symbol's close-to-close path with its
 * overnight gap, intraday range and volume. Everything is in log space and unrounded;
 * rounding to ticks happens when bars are built. See generate.ts for the model overview.
 */

export const TRADING_DAYS_PER_YEAR = 252;
/** Degrees of freedom of the Student-t innovations: fat tails, finite variance. */
export const T_DF = 5;
/** Share of the systematic + idiosyncratic move that happens overnight (open gap). */
const OVERNIGHT_SHARE = 0.25;
/** Variance of the open→close leg as a share of the day's variance, used for the range. */
export const INTRADAY_VAR_SHARE = 0.6;
const BURN_IN = 300;
/**
 * A fat-tailed unit-variance shock, truncated at ±6: the t(5) tail beyond that adds
 * nothing but the odd absurd +60% day for a large-cap name when it meets a high-vol regime.
 */
export function shock(rng: Rng): number {
  return Math.max(-6, Math.min(6, rng.studentT(T_DF)));
}

export interface FactorPath {
  /** Daily log return of the factor (zero mean apart from crash drifts). */
  ret: Float64Array;
  /** Conditional daily variance the return was drawn with. */
  variance: Float64Array;
}

export interface MarketPath extends FactorPath {
  /** Market-wide log-volume factor (persistent, higher after big moves). */
  volume: Float64Array;
  /** Day indices on which a crash episode started (for reporting and tests). */
  crashStarts: number[];
}

/**
 * Market factor: GJR-GARCH(1,1) (a symmetric GARCH plus extra reaction to down days,
 * the leverage effect) driven by unit-variance Student-t shocks, plus rare crash
 * episodes: a few days of forced negative drift with a variance shock that the GARCH
 * recursion then lets decay, as after real sell-offs.
 */
export function simulateMarket(seed: number, n: number): MarketPath {
  const rng = new Rng(seed, "factor:market");
  const lr = (MARKET_VOL * MARKET_VOL) / TRADING_DAYS_PER_YEAR;
  // Chosen so the fourth moment exists with t(5) shocks (β² + 2β(α+γ/2) + 9(α²+αγ+γ²/2) < 1);
  // otherwise sample statistics of squared returns would be dominated by single days.
  const alpha = 0.03;
  const leverage = 0.07;
  const beta = 0.9;
  const omega = lr * (1 - alpha - leverage / 2 - beta);
  const maxVar = lr * 25; // a 5× vol ceiling (≈ the 2008 and 2020 peaks) keeps a run of big shocks from exploding
  const ret = new Float64Array(n);
  const variance = new Float64Array(n);
  const volume = new Float64Array(n);
  const crashStarts: number[] = [];

  let h = lr;
  let eps = 0;
  let logVol = 0;
  let crashLeft = 0;
  let crashDays = 0;
  let crashDepth = 0;
  let cooldown = 0;
  const sdLr = Math.sqrt(lr);

  for (let t = -BURN_IN; t < n; t++) {
    h = Math.min(maxVar, omega + (alpha + (eps < 0 ? leverage : 0)) * eps * eps + beta * h);
    let drift = 0;
    if (t >= 0) {
      if (crashLeft === 0 && cooldown <= 0 && rng.chance(1 / (TRADING_DAYS_PER_YEAR * 5))) {
        crashDays = rng.int(5, 15);
        crashLeft = crashDays;
        crashDepth = rng.between(0.08, 0.25);
        h = Math.min(maxVar, Math.max(h, (rng.between(2.5, 4) * sdLr) ** 2));
        cooldown = TRADING_DAYS_PER_YEAR;
        crashStarts.push(t);
      }
      if (crashLeft > 0) {
        // Front-loaded: day j of D carries weight (D − j) of the total drawdown.
        const j = crashDays - crashLeft;
        drift = (-crashDepth * 2 * (crashDays - j)) / (crashDays * (crashDays + 1));
        crashLeft--;
      }
      cooldown--;
    }
    eps = Math.sqrt(h) * shock(rng) + drift;
    // Volume regime: persistent AR(1) in log space, lifted by big market moves.
    logVol = 0.92 * logVol + 0.06 * rng.normal() + 0.12 * (Math.min(Math.abs(eps) / sdLr, 6) - 0.8);
    if (t >= 0) {
      ret[t] = eps;
      variance[t] = h;
      volume[t] = logVol;
    }
  }
  return { ret, variance, volume, crashStarts };
}

/**
 * Vol regime multiplier: the market's conditional variance relative to its long run.
 * Sector and idiosyncratic variances are scaled by its square root, because in real
 * markets every kind of volatility rises together in a sell-off; this shared regime is
 * also what makes volatility clustering visible in single names, not only the index.
 */
export function regimeMultiplier(market: FactorPath, t: number): number {
  return Math.min(2, Math.sqrt(market.variance[t]! / ((MARKET_VOL * MARKET_VOL) / TRADING_DAYS_PER_YEAR)));
}

/** A sector factor: symmetric GARCH(1,1) with Student-t shocks, scaled by the market regime. */
export function simulateSector(seed: number, sector: string, annualVol: number, market: FactorPath): FactorPath {
  const n = market.ret.length;
  const rng = new Rng(seed, `factor:sector:${sector}`);
  const lr = (annualVol * annualVol) / TRADING_DAYS_PER_YEAR;
  const alpha = 0.07;
  const beta = 0.9;
  const omega = lr * (1 - alpha - beta);
  const ret = new Float64Array(n);
  const variance = new Float64Array(n);
  let h = lr;
  let eps = 0;
  for (let t = -BURN_IN; t < n; t++) {
    h = Math.min(lr * 9, omega + alpha * eps * eps + beta * h);
    const z = shock(rng);
    // The recursion runs on the sector's own shocks; the regime scales what is observed.
    eps = Math.sqrt(h) * z;
    if (t >= 0) {
      const m = regimeMultiplier(market, t);
      ret[t] = eps * Math.sqrt(m);
      variance[t] = h * m;
    }
  }
  return { ret, variance };
}

/** One symbol's daily path, unrounded, in price space. */
export interface SymbolPath {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Whole shares. */
  volume: Float64Array;
  /** Variance of the open→close log move (drives the range and the minute paths). */
  intradayVar: Float64Array;
  /** Share of that variance explained by the market factor (intraday co-movement). */
  marketShare: Float64Array;
}

export interface SymbolInputs {
  params: SymbolParams;
  market: MarketPath;
  /** The symbol's sector factor; undefined for the benchmark. */
  sector: FactorPath | undefined;
  /** Per-day flag: early close (half-day volume). */
  earlyClose: Uint8Array;
  seed: number;
}

/**
 * Brownian-bridge extremes: for a Brownian path from 0 to x with total variance v,
 * max = (x + √(x² − 2v·ln U)) / 2 is an exact draw of its maximum (and symmetrically
 * its minimum), so high ≥ max(open, close) and low ≤ min(open, close) by construction.
 */
export function bridgeMax(x: number, v: number, u: number): number {
  return (x + Math.sqrt(x * x - 2 * v * Math.log(u))) / 2;
}
export function bridgeMin(x: number, v: number, u: number): number {
  return (x - Math.sqrt(x * x - 2 * v * Math.log(u))) / 2;
}

const PRICE_FLOOR = 8;
const PRICE_CEILING = 2500;

export function simulateSymbol({ params: p, market, sector, earlyClose, seed }: SymbolInputs): SymbolPath {
  const n = market.ret.length;
  const rng = new Rng(seed, `idio:${p.info.symbol}`);
  const out: SymbolPath = {
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    intradayVar: new Float64Array(n),
    marketShare: new Float64Array(n),
  };
  const isIndex = sector === undefined;
  const lrIdio = (p.idioVol * p.idioVol) / TRADING_DAYS_PER_YEAR;
  const omega = lrIdio * (1 - p.garchAlpha - p.garchBeta);
  const sdTotal = p.vol / Math.sqrt(TRADING_DAYS_PER_YEAR);
  const dailyDrift = (p.drift - 0.5 * p.vol * p.vol) / TRADING_DAYS_PER_YEAR;
  const logBaseVolume = Math.log(p.baseVolume);

  let hIdio = lrIdio;
  let eps = 0;
  for (let t = -BURN_IN; t < 0; t++) {
    hIdio = omega + p.garchAlpha * eps * eps + p.garchBeta * hIdio;
    eps = isIndex ? 0 : Math.sqrt(hIdio) * shock(rng);
  }

  let nextEarnings = p.earningsPhase;
  let logClose = Math.log(p.startPrice);
  let volState = 0;
  for (let t = 0; t < n; t++) {
    const fm = market.ret[t]!;
    const hm = market.variance[t]!;
    let systematic: number;
    let variance: number;
    let jump = 0;
    let volumeBoost = 0;
    if (isIndex) {
      systematic = fm;
      variance = hm;
      eps = 0;
    } else {
      hIdio = Math.min(lrIdio * 6, omega + p.garchAlpha * eps * eps + p.garchBeta * hIdio);
      eps = Math.sqrt(hIdio) * shock(rng);
      const m = regimeMultiplier(market, t);
      const hs = sector.variance[t]!;
      systematic = p.beta * fm + p.sectorLoading * sector.ret[t]! + eps * Math.sqrt(m);
      variance = p.beta * p.beta * hm + p.sectorLoading * p.sectorLoading * hs + hIdio * m;
      if (t === nextEarnings) {
        // Quarterly earnings: an overnight repricing and a heavy-volume day.
        jump = p.earningsMove * rng.normal();
        volumeBoost = Math.log(rng.between(2, 4));
        nextEarnings += 63 + rng.int(-3, 3);
      } else if (rng.chance(1 / 500)) {
        // Rare unscheduled news (guidance, deal, lawsuit).
        jump = 2.5 * sdTotal * rng.normal();
        volumeBoost = Math.log(rng.between(1.5, 3));
      }
    }
    // Soft barriers keep 12-year paths in a plausible price band without touching vol.
    const price = Math.exp(logClose);
    const barrier =
      price < PRICE_FLOOR ? 0.01 * Math.log(PRICE_FLOOR / price) : price > PRICE_CEILING ? -0.01 * Math.log(price / PRICE_CEILING) : 0;
    const r = Math.max(-0.4, Math.min(0.4, dailyDrift + barrier + systematic + jump));
    const sd = Math.sqrt(variance);
    const gap = OVERNIGHT_SHARE * systematic + jump + (isIndex ? 0.05 : 0.12) * sd * rng.normal();
    const logOpen = logClose + gap;
    logClose += r;
    const x = logClose - logOpen;
    const v = INTRADAY_VAR_SHARE * variance;
    out.open[t] = Math.exp(logOpen);
    out.close[t] = Math.exp(logClose);
    out.high[t] = Math.exp(logOpen + bridgeMax(x, v, rng.uniform()));
    out.low[t] = Math.exp(logOpen + bridgeMin(x, v, rng.uniform()));
    out.intradayVar[t] = v;
    out.marketShare[t] = Math.min(1, (p.beta * p.beta * hm) / variance);

    // Volume: lognormal around the symbol's level, times the market volume regime,
    // persistent own noise, more on big-|return| days, earnings and news days.
    volState = 0.6 * volState + 0.2 * rng.normal();
    const surprise = Math.min(Math.abs(r - dailyDrift) / sdTotal, 6);
    const logV =
      logBaseVolume + market.volume[t]! + volState + 0.3 * (surprise - 0.8) + volumeBoost + (earlyClose[t] ? Math.log(0.55) : 0) + 0.1 * rng.normal();
    out.volume[t] = Math.max(100, Math.round(Math.exp(logV)));
  }
  return out;
}
