import type { Bar } from "../../data/bar.js";
import type { Timeframe } from "../../data/timeframes.js";

/** One indicator series, aligned with `ChartSpec.bars` (same length); NaN draws a gap. */
export interface ChartOverlay {
  name: string;
  values: Float64Array | readonly number[];
  /**
   * "price" (default) draws over the candles. "lower" draws in a pane below the price
   * pane; overlays with the same `group` share one pane (default group: the name).
   * Setting `group` without `pane` also means "lower".
   */
  pane?: "price" | "lower";
  group?: string;
  /** "line" (default), or "histogram": bars from 0, coloured by sign unless `color` is set. */
  style?: "line" | "histogram";
  /** CSS colour: #rgb/#rrggbb/#rrggbbaa, rgb()/rgba(), or a colour name. Default: a palette. */
  color?: string;
}

/** Options for the lower pane that holds the overlays of one `group`. */
export interface LowerPaneSpec {
  group: string;
  /** Label at the pane's top left (default: the group). */
  title?: string;
  /** Fixed scale ends (e.g. RSI 0..100); either may be omitted to fit the data. */
  min?: number;
  max?: number;
  /** Dashed reference lines, also labelled on the axis (RSI [30, 70], MACD [0]). */
  guides?: number[];
  /** A faintly shaded band between two values (RSI [30, 70]). */
  band?: [number, number];
}

export interface ChartMarker {
  /** Index into `bars`. */
  index: number;
  kind: "BUY" | "SELL";
  /** Short text next to the arrow (at most 24 characters are drawn). */
  label?: string;
}

export interface ChartSpec {
  /** e.g. "NOVA.DEMO 1Day — SYNTHETIC demo data". Any text: it is escaped. */
  title: string;
  /** e.g. "2025-11-21 .. 2026-11-20 · source: synthetic-demo". */
  subtitle?: string;
  /** Ascending by `t`; drawn as candles at x = bar index, so non-trading gaps vanish. */
  bars: readonly Bar[];
  timeframe: Timeframe;
  overlays?: readonly ChartOverlay[];
  lowerPanes?: readonly LowerPaneSpec[];
  /** BUY: up arrow under the bar's low; SELL: down arrow over its high. */
  markers?: readonly ChartMarker[];
  /** Volume bars at the bottom of the price pane (default true). */
  volume?: boolean;
  /** Output size in pixels: default 1000×600, clamped to 300..2400 × 200..2400. */
  width?: number;
  height?: number;
  /** Faint large text across the price pane, e.g. "SYNTHETIC". */
  watermark?: string;
}

export interface ChartPng {
  png: Buffer;
  width: number;
  height: number;
  svg: string;
  /** Font family the text was rendered with; null when no font was found (text is then not drawn). */
  font: string | null;
}

export interface RenderOptions {
  /** Extra font files (TTF/OTF) to try first, e.g. from configuration. */
  fontFiles?: readonly string[];
}
