import type { AnalysisEngine } from "../analysis-engine.js";
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../../data/bar.js";
import { dayNumber } from "../../data/calendar/dates.js";
import { toExchangeIso } from "../../data/calendar/zone.js";
import type { DataManager, DataSourceInfo } from "../../data/data-manager.js";
import type { Timeframe } from "../../data/timeframes.js";
import { bollinger, ema, macd, rsi, sma, vwap } from "../indicators/index.js";
import { toColumns } from "../series.js";
import { renderChartPngAsync } from "./render.js";
import type { ChartMarker, ChartOverlay, ChartPng, LowerPaneSpec } from "./types.js";

export const CHART_OVERLAYS = ["sma20", "sma50", "sma200", "ema20", "ema50", "bollinger", "vwap"] as const;
export const CHART_LOWER = ["rsi", "macd", "none"] as const;
// Extra bars read before the window so the longest overlay (SMA 200) is warm at its left edge.
const WARMUP_BARS = 250;

export interface TickerChartRequest {
  symbol: string;
  timeframe: Timeframe;
  limit: number;
  to?: string;
  overlays: (typeof CHART_OVERLAYS)[number][];
  lower: (typeof CHART_LOWER)[number];
  signals: boolean;
  width: number;
  height: number;
}

export interface TickerChart {
  symbol: string;
  window: Bar[];
  overlays: ChartOverlay[];
  markers: (ChartMarker & { analysisId: string; t: number })[];
  source: DataSourceInfo;
  png: ChartPng;
}

/**
 * A symbol's chart: bars with warm-up, the chosen overlays and lower pane, BUY/SELL
 * markers from the analysis log, rendered to PNG. Synthetic data is watermarked.
 */
export async function buildTickerChart(data: DataManager, analysis: AnalysisEngine, input: TickerChartRequest): Promise<TickerChart> {
  const r = data.getBars({ symbol: input.symbol, timeframe: input.timeframe, limit: input.limit + WARMUP_BARS, ...(input.to ? { to: input.to } : {}) });
  if (r.bars.length === 0) throw new ArgusError("NO_DATA", `${r.symbol} has no ${input.timeframe} bars to chart in that range.`);
  const cols = toColumns(r.bars);
  const start = Math.max(0, r.bars.length - input.limit);
  const window = r.bars.slice(start);
  const cut = (s: Float64Array) => s.subarray(start);
  const overlays: ChartOverlay[] = [];
  for (const o of input.overlays) {
    if (o.startsWith("sma")) overlays.push({ name: `SMA ${o.slice(3)}`, values: cut(sma(cols.close, Number(o.slice(3)))) });
    else if (o.startsWith("ema")) overlays.push({ name: `EMA ${o.slice(3)}`, values: cut(ema(cols.close, Number(o.slice(3)))) });
    else if (o === "bollinger") {
      const b = bollinger(cols.close, 20, 2);
      overlays.push({ name: "BB upper", values: cut(b.upper), color: "#90a4ae" }, { name: "BB lower", values: cut(b.lower), color: "#90a4ae" });
    } else if (o === "vwap") {
      const sessions = Int32Array.from(r.bars, (b) => dayNumber(data.calendar.dateAt(b.t)));
      overlays.push({ name: "VWAP", values: cut(vwap(cols.high, cols.low, cols.close, cols.volume, sessions)), color: "#ff6d00" });
    }
  }
  const lowerPanes: LowerPaneSpec[] = [];
  if (input.lower === "rsi") {
    overlays.push({ name: "RSI 14", values: cut(rsi(cols.close, 14)), pane: "lower", group: "rsi" });
    lowerPanes.push({ group: "rsi", title: "RSI 14", min: 0, max: 100, guides: [30, 70], band: [30, 70] });
  } else if (input.lower === "macd") {
    const m = macd(cols.close, 12, 26, 9);
    overlays.push(
      { name: "Histogram", values: cut(m.histogram), pane: "lower", group: "macd", style: "histogram" },
      { name: "MACD", values: cut(m.macd), pane: "lower", group: "macd" },
      { name: "Signal", values: cut(m.signal), pane: "lower", group: "macd" },
    );
    lowerPanes.push({ group: "macd", title: "MACD 12 26 9", guides: [0] });
  }
  const markers: (ChartMarker & { analysisId: string; t: number })[] = [];
  if (input.signals && input.timeframe === "1Day") {
    const index = new Map(window.map((b, i) => [b.t, i]));
    for (const a of analysis.list({ symbol: r.symbol, limit: 500 })) {
      const i = index.get(a.barTo);
      if (i !== undefined && (a.decision === "BUY" || a.decision === "SELL")) markers.push({ index: i, kind: a.decision, label: a.decision, analysisId: a.id, t: a.barTo });
    }
  }
  const first = window[0]!;
  const last = window[window.length - 1]!;
  const png = await renderChartPngAsync({
    title: `${r.symbol} ${input.timeframe}${r.source.synthetic ? " — SYNTHETIC demo data" : ""}`,
    subtitle: `${toExchangeIso(first.t).slice(0, 10)} .. ${toExchangeIso(last.t).slice(0, 10)} · source: ${r.source.source}`,
    bars: window,
    timeframe: input.timeframe,
    overlays,
    lowerPanes,
    markers,
    width: input.width,
    height: input.height,
    ...(r.source.synthetic ? { watermark: "SYNTHETIC" } : {}),
  });
  return { symbol: r.symbol, window, overlays, markers, source: r.source, png };
}
