import { xoroshiro128plus, type RandomGenerator } from "pure-rand";

/**
 * Seeded random streams for the demo generator.
 *
 * Every independent piece of the model (the market factor, each sector factor, each
 * symbol's idiosyncratic noise, each day's intraday paths, ...) draws from its own
 * stream, keyed by (seed, stream name). Adding a symbol or changing how many draws one
 * component makes therefore never shifts the numbers of another component, and the
 * whole dataset is a pure function of its inputs.
 *
 * The 128-bit xoroshiro128+ state is filled from a hash of (seed, name) through
 * `xoroshiro128plus.fromState`, rather than `xoroshiro128plus(seed)`, whose state for
 * nearby seeds differs in only a few bits and takes a while to decorrelate.
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixing bijection on 32-bit integers. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of a string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const TWO_POW_26 = 67_108_864;
const TWO_POW_53 = 9_007_199_254_740_992;

export class Rng {
  private readonly gen: RandomGenerator;
  private spare: number | undefined;

  /** `seed` is any safe integer (negative allowed); `stream` names the component. */
  constructor(seed: number, stream: string) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4_294_967_296) >>> 0;
    const name = fnv1a(stream);
    const words: number[] = [];
    let h = fmix32(lo ^ fmix32(hi ^ 0x9e3779b9));
    for (let i = 0; i < 4; i++) {
      h = fmix32(h ^ name ^ Math.imul(i + 1, 0x9e3779b9));
      words.push(h | 0);
    }
    if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1; // the all-zero state is a fixed point
    this.gen = xoroshiro128plus.fromState(words);
  }

  /** Uniform in the open interval (0, 1), 53 bits from the two high halves of two draws. */
  uniform(): number {
    const a = this.gen.unsafeNext() >>> 5;
    const b = this.gen.unsafeNext() >>> 6;
    return (a * TWO_POW_26 + b + 0.5) / TWO_POW_53;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Log-uniform in [lo, hi): for scale parameters such as prices and volumes. */
  logBetween(lo: number, hi: number): number {
    return Math.exp(this.between(Math.log(lo), Math.log(hi)));
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.min(hi - lo, Math.floor(this.uniform() * (hi - lo + 1)));
  }

  /** Standard normal (Marsaglia polar method; the second variate is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /**
   * Student-t with integer `df` ≥ 3 degrees of freedom, scaled to unit variance, so it
   * can stand in for a standard normal innovation while giving fat tails (excess
   * kurtosis 6/(df−4) for df > 4).
   */
  studentT(df: number): number {
    let chi2 = 0;
    for (let i = 0; i < df; i++) {
      const n = this.normal();
      chi2 += n * n;
    }
    return (this.normal() / Math.sqrt(chi2 / df)) * Math.sqrt((df - 2) / df);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }
}
