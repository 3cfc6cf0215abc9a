/** Value scales, "nice" tick values and number labels. */

export interface NiceTicks {
  /** Tick values inside [min, max], ascending, multiples of `step`. */
  ticks: number[];
  step: number;
  /** Decimals needed to print every tick exactly. */
  decimals: number;
}

const MANTISSAS = [1, 2, 2.5, 5] as const;

/** Fewest decimals that print `step` (a 1/2/2.5/5 × 10^k value) exactly. */
export function stepDecimals(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-7 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/**
 * Round tick values for the range [min, max]: the smallest step of the form
 * {1, 2, 2.5, 5} × 10^k that yields at most `maxCount` ticks inside the range (at least
 * one step is always found; a degenerate range is widened around its value first).
 */
export function niceTicks(min: number, max: number, maxCount: number): NiceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [], step: 1, decimals: 0 };
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.01;
    lo -= pad;
    hi += pad;
  }
  const count = Math.max(1, Math.floor(maxCount));
  const span = hi - lo;
  let exp = Math.floor(Math.log10(span / count)) - 1;
  for (let guard = 0; guard < 40; guard++, exp++) {
    for (const m of MANTISSAS) {
      const step = m * 10 ** exp;
      const first = Math.ceil(lo / step - 1e-9);
      const last = Math.floor(hi / step + 1e-9);
      if (last - first + 1 <= count) {
        const decimals = stepDecimals(step);
        const ticks: number[] = [];
        for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)));
        return { ticks, step, decimals };
      }
    }
  }
  return { ticks: [], step: span, decimals: 0 };
}

/** Linear map from a value domain to a pixel range (range may be inverted, as y is). */
export interface LinearScale {
  (v: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
  invert(px: number): number;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => (k === 0 ? (r0 + r1) / 2 : r0 + (v - d0) * k)) as LinearScale;
  f.domain = domain;
  f.range = range;
  f.invert = (px: number) => (k === 0 ? d0 : d0 + (px - r0) / k);
  return f;
}

/**
 * A y scale whose data extent [lo, hi] maps into [top + padTop, bottom - padBottom]; the
 * returned domain covers the whole pane [top, bottom], so ticks can use the padding too.
 */
export function paddedScale(lo: number, hi: number, top: number, bottom: number, padTop: number, padBottom: number): LinearScale {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.02;
    lo -= pad;
    hi += pad;
  }
  const inner = linearScale([lo, hi], [bottom - padBottom, top + padTop]);
  return linearScale([inner.invert(bottom), inner.invert(top)], [bottom, top]);
}

const formatters = new Map<number, Intl.NumberFormat>();

/** A number with exactly `decimals` decimals and thousands separators (en-US). */
export function formatFixed(v: number, decimals: number): string {
  const d = Math.max(0, Math.min(10, decimals));
  let f = formatters.get(d);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
    formatters.set(d, f);
  }
  const s = f.format(v);
  return s === "-0" || /^-0[.,]?0*$/.test(s) ? s.slice(1) : s;
}

/** Decimals that suit a price level: cents from $1 up, more below. */
export function priceDecimals(price: number): number {
  const a = Math.abs(price);
  if (a >= 1 || a === 0) return 2;
  return Math.min(8, 2 + Math.max(0, -Math.floor(Math.log10(a))));
}

/** Compact counts: 950, 12.3K, 4.5M, 1.2B. */
export function formatCompact(v: number): string {
  const a = Math.abs(v);
  const units: [number, string][] = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];
  for (const [size, suffix] of units) {
    if (a >= size) {
      const x = v / size;
      return `${Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, "")}${suffix}`;
    }
  }
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
