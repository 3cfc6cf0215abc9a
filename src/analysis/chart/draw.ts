/** SVG for the data marks: candles, volume, lines, histograms, markers. */
import type { Bar } from "../../data/bar.js";
import type { LinearScale } from "./scales.js";
import { num } from "./svg.js";
import type { ChartMarker } from "./types.js";

export const THEME = {
  background: "#ffffff",
  text: "#131722",
  muted: "#6a6d78",
  grid: "#f0f1f4",
  gridMajor: "#e0e3eb",
  border: "#c9ccd6",
  up: "#089981",
  down: "#f23645",
  lastLine: "#9598a1",
  guide: "#9598a1",
  band: "#7e57c2",
} as const;

/** How bars are drawn at a given slot width (pixels per bar). */
export type CandleMode = "candle" | "ohlc" | "line";

export function candleMode(slot: number): CandleMode {
  if (slot >= 3) return "candle";
  if (slot >= 2.4) return "ohlc";
  return "line";
}

/**
 * Visible body width of a candle: about 72% of the slot, odd from 3 px up so the wick
 * sits on the body's middle pixel (a 2 px body has its wick on the left pixel).
 */
export function bodyWidth(slot: number): number {
  let w = Math.max(1, Math.min(41, Math.floor(slot * 0.72)));
  if (w >= 4 && w % 2 === 0) w -= 1;
  return w;
}

/** Pixels a body extends left of its wick's pixel. */
const bodyLeft = (w: number) => Math.floor((w - 1) / 2);

/** Centre of a pixel column: crisp 1px vertical strokes. */
const crisp = (x: number) => Math.floor(x) + 0.5;

/**
 * One `<path class="candle">` per bar (wick and body in one element), grouped by
 * direction so colours are set once. `x(i)` is the bar's centre.
 */
export function drawCandles(bars: readonly Bar[], x: (i: number) => number, slot: number, y: LinearScale): string {
  const mode = candleMode(slot);
  const up: string[] = [];
  const down: string[] = [];
  const bw = bodyWidth(slot);
  const leftOff = bodyLeft(bw);
  const tick = Math.max(1, Math.round(slot * 0.35));
  const lineWidth = Math.min(1.2, Math.max(0.6, slot * 0.75));
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    const isUp = b.close >= b.open;
    let d: string;
    if (mode === "line") {
      const cx = x(i);
      let hy = y(b.high);
      let ly = y(b.low);
      if (ly - hy < 1) {
        const mid = (hy + ly) / 2;
        hy = mid - 0.5;
        ly = mid + 0.5;
      }
      d = `M${num(cx)} ${num(hy)}V${num(ly)}`;
    } else {
      const cx = crisp(x(i));
      const hy = Math.round(y(b.high));
      const ly = Math.max(hy + 1, Math.round(y(b.low)));
      const oy = y(b.open);
      const cy = y(b.close);
      if (mode === "ohlc") {
        const oyc = crisp(oy);
        const cyc = crisp(cy);
        d = `M${num(cx)} ${hy}V${ly}M${num(cx - tick - 0.5)} ${num(oyc)}H${num(cx)}M${num(cx)} ${num(cyc)}H${num(cx + tick + 0.5)}`;
      } else {
        const top = Math.round(Math.min(oy, cy)) + 0.5;
        const bottom = Math.max(top, Math.round(Math.max(oy, cy)) - 0.5);
        const l = num(cx - leftOff);
        const r = num(cx - leftOff + bw - 1);
        d = `M${num(cx)} ${hy}V${ly}M${l} ${num(top)}H${r}V${num(bottom)}H${l}Z`;
      }
    }
    (isUp ? up : down).push(`<path class="candle" d="${d}"/>`);
  }
  const paint = mode === "candle" ? (c: string) => `fill="${c}" stroke="${c}" stroke-width="1"` : (c: string) => `fill="none" stroke="${c}" stroke-width="${mode === "line" ? num(lineWidth) : "1"}"`;
  return `<g class="candles up" ${paint(THEME.up)}>${up.join("")}</g><g class="candles down" ${paint(THEME.down)}>${down.join("")}</g>`;
}

/**
 * Top of the volume scale: the largest volume, but at most 2.5× the 95th percentile, so
 * one earnings-day spike (drawn clipped at full height) does not flatten every other bar.
 */
export function volumeCeiling(bars: readonly Bar[]): number {
  const v = bars.map((b) => b.volume).filter((x) => Number.isFinite(x) && x > 0).sort((a, b) => a - b);
  if (v.length === 0) return 0;
  const p95 = v[Math.min(v.length - 1, Math.floor(v.length * 0.95))]!;
  return Math.min(v.at(-1)!, p95 * 2.5);
}

/** Volume as two paths (up/down) of bars rising from `base` over `height` pixels. */
export function drawVolume(bars: readonly Bar[], x: (i: number) => number, slot: number, base: number, height: number): string {
  const max = volumeCeiling(bars);
  if (max <= 0) return "";
  const w = candleMode(slot) === "candle" ? bodyWidth(slot) : Math.max(0.5, slot * 0.8);
  const up: string[] = [];
  const down: string[] = [];
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    if (!(b.volume > 0)) continue;
    const h = Math.max(0.5, Math.min(1, b.volume / max) * height);
    const left = candleMode(slot) === "candle" ? Math.floor(x(i)) - bodyLeft(w) : x(i) - w / 2;
    (b.close >= b.open ? up : down).push(`M${num(left)} ${num(base - h)}h${num(w)}V${num(base)}h${num(-w)}Z`);
  }
  // Thin bars overlap when anti-aliased; a little more opacity keeps dense volume visible.
  const opacity = candleMode(slot) === "candle" ? "0.28" : "0.4";
  const path = (d: string[], c: string) => (d.length ? `<path class="volume" fill="${c}" fill-opacity="${opacity}" d="${d.join("")}"/>` : "");
  return path(up, THEME.up) + path(down, THEME.down);
}

/** A polyline through the finite values; each run between NaNs is its own `M…L…` segment. */
export function linePath(values: ArrayLike<number>, x: (i: number) => number, y: LinearScale): string {
  const parts: string[] = [];
  let run = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      if (run === 1) parts.push("l0 0"); // a lone point: a dot with round caps
      run = 0;
      continue;
    }
    parts.push(`${run === 0 ? "M" : "L"}${num(x(i))} ${num(y(v))}`);
    run++;
  }
  if (run === 1) parts.push("l0 0");
  return parts.join("");
}

export function drawLine(values: ArrayLike<number>, x: (i: number) => number, y: LinearScale, color: string, width: number): string {
  const d = linePath(values, x, y);
  return d ? `<path class="overlay" d="${d}" fill="none" stroke="${color}" stroke-width="${num(width)}" stroke-linejoin="round" stroke-linecap="round"/>` : "";
}

/** Bars from 0: up/down colours by sign, or one colour when given. */
export function drawHistogram(values: ArrayLike<number>, x: (i: number) => number, slot: number, y: LinearScale, color: string | null): string {
  const candles = candleMode(slot) === "candle";
  const w = candles ? bodyWidth(slot) : Math.max(0.5, slot * 0.8);
  const zero = y(0);
  const pos: string[] = [];
  const neg: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v === 0) continue;
    const yv = y(v);
    const top = Math.min(zero, yv);
    const h = Math.max(0.5, Math.abs(zero - yv));
    const left = candles ? Math.floor(x(i)) - bodyLeft(w) : x(i) - w / 2;
    (v > 0 ? pos : neg).push(`M${num(left)} ${num(top)}h${num(w)}v${num(h)}h${num(-w)}Z`);
  }
  const path = (d: string[], c: string) => (d.length ? `<path class="histogram" fill="${c}" fill-opacity="0.55" d="${d.join("")}"/>` : "");
  return color ? path([...pos, ...neg], color) : path(pos, THEME.up) + path(neg, THEME.down);
}

/** Marker triangle size for a slot width. */
export function markerSize(slot: number): number {
  return Math.min(11, Math.max(7, slot * 0.9));
}

/**
 * BUY: an up triangle under the bar's low; SELL: a down triangle over its high; labels
 * beyond the triangle. `label` must escape its text (it receives raw marker labels).
 */
export function drawMarkers(
  markers: readonly ChartMarker[],
  bars: readonly Bar[],
  x: (i: number) => number,
  slot: number,
  y: LinearScale,
  label: (x: number, y: number, text: string, color: string) => string,
): string {
  const h = markerSize(slot);
  const hw = h * 0.62;
  const gap = 4;
  const out: string[] = [];
  for (const m of markers) {
    const b = bars[m.index]!;
    const cx = x(m.index);
    if (m.kind === "BUY") {
      const apex = y(b.low) + gap;
      out.push(`<path class="marker buy" d="M${num(cx)} ${num(apex)}L${num(cx + hw)} ${num(apex + h)}H${num(cx - hw)}Z" fill="${THEME.up}" stroke="#ffffff" stroke-width="0.75"/>`);
      if (m.label) out.push(label(cx, apex + h + 11, m.label, THEME.up));
    } else {
      const apex = y(b.high) - gap;
      out.push(`<path class="marker sell" d="M${num(cx)} ${num(apex)}L${num(cx + hw)} ${num(apex - h)}H${num(cx - hw)}Z" fill="${THEME.down}" stroke="#ffffff" stroke-width="0.75"/>`);
      if (m.label) out.push(label(cx, apex - h - 4, m.label, THEME.down));
    }
  }
  return out.join("");
}
