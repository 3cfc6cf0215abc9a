import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../../data/bar.js";
import { TIMEFRAMES, type Timeframe } from "../../data/timeframes.js";
import { clipText, isSafeColor } from "./svg.js";
import type { ChartMarker, ChartSpec } from "./types.js";

/** Limits that keep a chart legible and its rendering bounded. */
export const CHART_LIMITS = {
  maxBars: 20_000,
  maxOverlays: 16,
  maxLowerPanes: 4,
  maxMarkers: 2_000,
  width: { min: 300, max: 2400, default: 1000 },
  height: { min: 200, max: 2400, default: 600 },
} as const;

/** Colours for overlays without one: distinct from the up/down candle colours. */
export const PALETTE = ["#2962ff", "#ff9800", "#9c27b0", "#00acc1", "#e91e63", "#795548", "#607d8b", "#8bc34a"] as const;

export interface Series {
  name: string;
  values: ArrayLike<number>;
  color: string;
  /** An explicit colour: histograms then use it instead of up/down colours. */
  colorGiven: boolean;
  style: "line" | "histogram";
}

export interface LowerPane {
  group: string;
  title: string;
  min: number | undefined;
  max: number | undefined;
  guides: number[];
  band: [number, number] | undefined;
  series: Series[];
}

export interface NormalizedChart {
  title: string;
  subtitle: string;
  bars: readonly Bar[];
  timeframe: Timeframe;
  width: number;
  height: number;
  volume: boolean;
  watermark: string;
  price: Series[];
  panes: LowerPane[];
  markers: ChartMarker[];
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new ArgusError("INVALID_INPUT", message, details);
}

function clampSize(v: number | undefined, limits: { min: number; max: number; default: number }): number {
  if (v === undefined || !Number.isFinite(v)) return limits.default;
  return Math.round(Math.min(limits.max, Math.max(limits.min, v)));
}

function finiteOrUndefined(v: number | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v)) invalid(`${what} must be a finite number`);
  return v;
}

/** Checks a spec and resolves its defaults; every problem is an INVALID_INPUT ArgusError. */
export function normalizeSpec(spec: ChartSpec): NormalizedChart {
  if (spec === null || typeof spec !== "object") invalid("chart: the spec must be an object");
  const { bars } = spec;
  if (!Array.isArray(bars) || bars.length === 0) invalid("chart: there are no bars to draw; pass at least one bar", { bars: 0 });
  if (bars.length > CHART_LIMITS.maxBars) {
    throw new ArgusError("LIMIT_TOO_LARGE", `chart: ${bars.length} bars is more than the ${CHART_LIMITS.maxBars} a chart can show; narrow the range or use a longer timeframe`, { bars: bars.length, max: CHART_LIMITS.maxBars });
  }
  if (!(TIMEFRAMES as readonly string[]).includes(spec.timeframe)) invalid(`chart: timeframe must be one of ${TIMEFRAMES.join(", ")}`, { timeframe: String(spec.timeframe) });
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    if (!b || ![b.t, b.open, b.high, b.low, b.close].every(Number.isFinite)) invalid(`chart: bar ${i} has a missing or non-finite time or price`, { index: i });
    if (b.high < b.low) invalid(`chart: bar ${i} has high below low`, { index: i });
    if (i > 0 && b.t <= bars[i - 1]!.t) invalid(`chart: bars must be in strictly ascending time order (bar ${i} is not after bar ${i - 1})`, { index: i });
  }

  const overlays = spec.overlays ?? [];
  if (overlays.length > CHART_LIMITS.maxOverlays) invalid(`chart: at most ${CHART_LIMITS.maxOverlays} overlays`, { overlays: overlays.length });
  const paneSpecs = spec.lowerPanes ?? [];
  const panes = new Map<string, LowerPane>();
  for (const p of paneSpecs) {
    if (typeof p?.group !== "string" || p.group.trim() === "") invalid("chart: every lower pane needs a group name");
    if (panes.has(p.group)) invalid(`chart: lower pane group "${clipText(p.group, 40)}" appears twice`);
    const min = finiteOrUndefined(p.min, `lower pane "${clipText(p.group, 40)}" min`);
    const max = finiteOrUndefined(p.max, `lower pane "${clipText(p.group, 40)}" max`);
    if (min !== undefined && max !== undefined && !(max > min)) invalid(`chart: lower pane "${clipText(p.group, 40)}" needs max > min`);
    const guides = (p.guides ?? []).map((g) => finiteOrUndefined(g, "a guide")!);
    const band = p.band ? ([finiteOrUndefined(p.band[0], "band start")!, finiteOrUndefined(p.band[1], "band end")!].sort((a, b) => a - b) as [number, number]) : undefined;
    panes.set(p.group, { group: p.group, title: p.title ?? p.group, min, max, guides, band, series: [] });
  }

  const price: Series[] = [];
  overlays.forEach((o, k) => {
    if (typeof o?.name !== "string") invalid(`chart: overlay ${k} needs a name`);
    const what = `overlay "${clipText(o.name, 40)}"`;
    if (!o.values || typeof o.values.length !== "number") invalid(`chart: ${what} has no values`);
    if (o.values.length !== bars.length) invalid(`chart: ${what} has ${o.values.length} values for ${bars.length} bars; overlays must be aligned with the bars (NaN for gaps)`, { overlay: o.name });
    if (o.color !== undefined && !isSafeColor(o.color)) invalid(`chart: ${what} color must be #hex, rgb()/rgba() or a colour name`, { overlay: o.name });
    const series: Series = {
      name: o.name,
      values: o.values,
      color: o.color ?? PALETTE[k % PALETTE.length]!,
      colorGiven: o.color !== undefined,
      style: o.style === "histogram" ? "histogram" : "line",
    };
    const lower = o.pane === "lower" || (o.pane === undefined && o.group !== undefined);
    if (!lower) {
      price.push(series);
      return;
    }
    const group = o.group ?? o.name;
    let pane = panes.get(group);
    if (!pane) {
      pane = { group, title: group, min: undefined, max: undefined, guides: [], band: undefined, series: [] };
      panes.set(group, pane);
    }
    pane.series.push(series);
  });
  for (const p of panes.values()) {
    if (p.series.length === 0) invalid(`chart: lower pane "${clipText(p.group, 40)}" has no overlay with that group`, { group: p.group });
  }
  if (panes.size > CHART_LIMITS.maxLowerPanes) invalid(`chart: at most ${CHART_LIMITS.maxLowerPanes} lower panes`, { panes: panes.size });

  const markers = (spec.markers ?? []).map((m, k) => {
    if (!Number.isInteger(m?.index) || m.index < 0 || m.index >= bars.length) invalid(`chart: marker ${k} index must be an integer bar index in 0..${bars.length - 1}`, { index: m?.index });
    if (m.kind !== "BUY" && m.kind !== "SELL") invalid(`chart: marker ${k} kind must be BUY or SELL`);
    return m.label === undefined ? { index: m.index, kind: m.kind } : { index: m.index, kind: m.kind, label: clipText(String(m.label), 24) };
  });
  if (markers.length > CHART_LIMITS.maxMarkers) invalid(`chart: at most ${CHART_LIMITS.maxMarkers} markers`, { markers: markers.length });

  return {
    title: clipText(String(spec.title ?? ""), 200),
    subtitle: clipText(String(spec.subtitle ?? ""), 300),
    bars,
    timeframe: spec.timeframe,
    width: clampSize(spec.width, CHART_LIMITS.width),
    height: clampSize(spec.height, CHART_LIMITS.height),
    volume: spec.volume !== false,
    watermark: clipText(String(spec.watermark ?? ""), 40),
    price,
    panes: [...panes.values()],
    markers,
  };
}
