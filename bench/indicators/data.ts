/**
 * Synthetic OHLCV for the indicator benchmark: a geometric random walk with a fixed seed,
 * so every run (and every library) sees the same 1,000,000 bars. Real fixtures have only
 * ~5,000 daily bars per symbol, too few for a throughput measurement.
 *
 * Per bar: open = previous close; close = open·exp(0.01·z) with z standard normal
 * (Box–Muller on a mulberry32 stream); high/low extend max/min(open, close) by up to 0.5%;
 * prices are rounded to cents so that equal highs/lows (ties) occur as in real data;
 * volume is a whole number of shares in [100,000, 1,000,000). Sessions are 390 bars long
 * (a regular one-minute session), session key = floor(i / 390).
 */

export interface BenchBars {
  n: number;
  seed: number;
  /** Typed columns, as Argus takes them. */
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  session: Int32Array;
  /** The same values as number[] (technicalindicators and indicatorts take arrays); empty unless asked for. */
  arrays: { high: number[]; low: number[]; close: number[]; volume: number[] };
  /** The same bars as candle objects (trading-signals takes objects); empty unless asked for. */
  candles: { open: number; high: number; low: number; close: number; volume: number }[];
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/** Input formats to build besides the typed columns (each costs memory and GC time). */
export interface BarFormats {
  arrays?: boolean;
  candles?: boolean;
}

/**
 * `n` bars from `seed`. The number[] and candle copies are built only when asked for (empty
 * otherwise), so a process measuring one library holds only that library's input format.
 */
export function makeBars(n: number, seed = 20_240_611, formats: BarFormats = { arrays: true, candles: true }, sessionLength = 390): BenchBars {
  const rand = mulberry32(seed);
  const normal = (): number => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const session = new Int32Array(n);
  let prev = 100;
  for (let i = 0; i < n; i++) {
    const open = prev;
    // Keep the walk in a sane price range over a million steps.
    const drift = prev > 400 ? -0.0005 : prev < 25 ? 0.0005 : 0;
    const c = Math.max(0.01, cents(open * Math.exp(drift + 0.01 * normal())));
    high[i] = cents(Math.max(open, c) * (1 + 0.005 * rand()));
    low[i] = Math.max(0.01, cents(Math.min(open, c) * (1 - 0.005 * rand())));
    close[i] = c;
    volume[i] = 100_000 + Math.floor(rand() * 900_000);
    session[i] = Math.floor(i / sessionLength);
    prev = c;
  }
  const arrays = formats.arrays
    ? { high: Array.from(high), low: Array.from(low), close: Array.from(close), volume: Array.from(volume) }
    : { high: [], low: [], close: [], volume: [] };
  const candles = new Array<BenchBars["candles"][number]>(formats.candles ? n : 0);
  for (let i = 0; i < candles.length; i++) {
    candles[i] = { open: i === 0 ? close[0]! : close[i - 1]!, high: high[i]!, low: low[i]!, close: close[i]!, volume: volume[i]! };
  }
  return { n, seed, high, low, close, volume, session, arrays, candles };
}
