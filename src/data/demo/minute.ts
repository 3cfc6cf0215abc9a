import type { Bar } from "../bar.js";
import { bridgeMax, bridgeMin, T_DF } from "./daily.js";
import { Rng } from "./rng.js";

/**
 * Intraday (1Min) paths for one session, pinned to the day's open and close.
 *
 * The day's open and close come from the daily simulation, so the close-to-close
 * series stays continuous. In between, the log price follows a random walk whose
 * per-minute variance is U-shaped (busy open, quiet lunch, busy close), built from a
 * market shock shared by every symbol that minute plus the symbol's own shock, and is
 * then turned into a bridge that starts at the open and ends exactly at the close.
 */

export const MINUTE_MS = 60_000;

/** U-shaped weights, normalised to sum to 1. */
function uShape(minutes: number, base: number, openAmp: number, openDecay: number, closeAmp: number, closeDecay: number): Float64Array {
  const w = new Float64Array(minutes);
  let sum = 0;
  for (let k = 0; k < minutes; k++) {
    const v = base + openAmp * Math.exp(-k / openDecay) + closeAmp * Math.exp(-(minutes - 1 - k) / closeDecay);
    w[k] = v;
    sum += v;
  }
  for (let k = 0; k < minutes; k++) w[k] = w[k]! / sum;
  return w;
}

export interface IntradayProfile {
  minutes: number;
  /** Share of the day's intraday variance in each minute. */
  variance: Float64Array;
  /** Share of the day's volume in each minute, before noise. */
  volume: Float64Array;
}

export function intradayProfile(minutes: number): IntradayProfile {
  const volume = uShape(minutes, 0.6, 3, 15, 2, 20);
  // The closing print (auction) is the busiest minute of the day.
  const last = minutes - 1;
  volume[last] = volume[last]! * 3;
  let sum = 0;
  for (let k = 0; k < minutes; k++) sum += volume[k]!;
  for (let k = 0; k < minutes; k++) volume[k] = volume[k]! / sum;
  return { minutes, variance: uShape(minutes, 0.6, 2.2, 25, 0.9, 20), volume };
}

/** Unit-variance fat-tailed shocks for the market's minute moves, shared by all symbols. */
export function marketMinuteShocks(seed: number, date: string, minutes: number): Float64Array {
  const rng = new Rng(seed, `minute:market:${date}`);
  const z = new Float64Array(minutes);
  for (let k = 0; k < minutes; k++) z[k] = rng.studentT(T_DF);
  return z;
}

/** Cents at $1 and above; 4 decimals below (DESIGN §4 tick sizes). */
export function roundPrice(p: number): number {
  return p >= 1 ? Math.round(p * 100) / 100 : Math.round(p * 10_000) / 10_000;
}

export interface MinuteDayInputs {
  seed: number;
  symbol: string;
  date: string;
  sessionOpen: number;
  profile: IntradayProfile;
  marketShocks: Float64Array;
  /** Unrounded daily open and close. */
  open: number;
  close: number;
  /** Variance of the open→close log move. */
  intradayVar: number;
  /** Share of that variance that moves with the market. */
  marketShare: number;
  /** The day's total volume (whole shares), split exactly across the minutes. */
  volume: number;
}

export function minuteBarsForDay(d: MinuteDayInputs): Bar[] {
  const { minutes: m, variance: share, volume: volShape } = d.profile;
  const rng = new Rng(d.seed, `minute:${d.symbol}:${d.date}`);
  const rhoM = Math.sqrt(d.marketShare);
  const rhoI = Math.sqrt(1 - d.marketShare);

  // Free random walk W (W[0] = 0) with cumulative variance share c.
  const w = new Float64Array(m + 1);
  const c = new Float64Array(m + 1);
  for (let k = 0; k < m; k++) {
    const z = rhoM * d.marketShocks[k]! + rhoI * rng.studentT(T_DF);
    w[k + 1] = w[k]! + Math.sqrt(d.intradayVar * share[k]!) * z;
    c[k + 1] = c[k]! + share[k]!;
  }
  // Pin it: X = W − c·W_end + c·x runs from 0 to x = log(close/open) exactly.
  const x = Math.log(d.close / d.open);
  const wEnd = w[m]!;
  const cEnd = c[m]!;
  const prices = new Float64Array(m + 1);
  const logs = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) {
    const frac = c[k]! / cEnd;
    logs[k] = w[k]! - frac * wEnd + frac * x;
    prices[k] = d.open * Math.exp(logs[k]!);
  }
  prices[0] = d.open;
  prices[m] = d.close;
  logs[m] = x;

  // Volume: U-shape × lognormal noise × more trading on bigger minute moves.
  const weights = new Float64Array(m);
  let wSum = 0;
  for (let k = 0; k < m; k++) {
    const sdK = Math.sqrt(d.intradayVar * share[k]!);
    const move = Math.min(Math.abs(logs[k + 1]! - logs[k]!) / sdK, 5);
    const wk = volShape[k]! * Math.exp(0.35 * rng.normal() - 0.06) * (0.7 + 0.3 * move);
    weights[k] = wk;
    wSum += wk;
  }

  const bars: Bar[] = new Array<Bar>(m);
  let allocated = 0;
  for (let k = 0; k < m; k++) {
    const o = roundPrice(prices[k]!);
    const cl = roundPrice(prices[k + 1]!);
    const step = logs[k + 1]! - logs[k]!;
    // Within-minute extremes from a bridge with a fraction of the minute's variance
    // (most of the minute's movement is already in the open→close step).
    const vk = 0.5 * d.intradayVar * share[k]!;
    const hi = roundPrice(prices[k]! * Math.exp(bridgeMax(step, vk, rng.uniform())));
    const lo = roundPrice(prices[k]! * Math.exp(bridgeMin(step, vk, rng.uniform())));
    const vol = Math.floor((weights[k]! / wSum) * d.volume);
    allocated += vol;
    bars[k] = {
      t: d.sessionOpen + k * MINUTE_MS,
      open: o,
      high: Math.max(hi, o, cl),
      low: Math.max(Math.min(lo, o, cl), 0.0001),
      close: cl,
      volume: vol,
    };
  }
  // Whole-share rounding leftovers go to the closing print, so minutes sum to the day.
  bars[m - 1]!.volume += d.volume - allocated;
  return bars;
}

/** The daily bar a session's minute bars aggregate to. */
export function aggregateMinutes(t: number, bars: readonly Bar[]): Bar {
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (!first || !last) throw new Error("aggregateMinutes: no bars");
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (const b of bars) {
    if (b.high > high) high = b.high;
    if (b.low < low) low = b.low;
    volume += b.volume;
  }
  return { t, open: first.open, high, low, close: last.close, volume };
}
