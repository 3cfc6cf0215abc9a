import { z } from "zod";
import { renderChartPngAsync } from "../../src/analysis/chart/render.js";
import type { ChartMarker, ChartOverlay, LowerPaneSpec } from "../../src/analysis/chart/types.js";
import { bollinger, ema, macd, rsi, sma, vwap } from "../../src/analysis/indicators/index.js";
import { toColumns } from "../../src/analysis/series.js";
import { dayNumber } from "../../src/data/calendar/dates.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { sourceOut, sourceShape, syntheticLabel, timeField } from "../data/shapes.js";
import { defineTool, READ_ONLY, WithImages } from "../spec.js";
import { ArgusError } from "../../src/core/errors.js";

const OVERLAYS = ["sma20", "sma50", "sma200", "ema20", "ema50", "bollinger", "vwap"] as const;
const LOWER = ["rsi", "macd", "none"] as const;
// Extra bars read before the window so the longest overlay (SMA 200) is warm at its left edge.
const WARMUP_BARS = 250;

export const chartTicker = defineTool({
  name: "chart_ticker",
  title: "Chart a ticker",
  description:
    "A PNG chart (MCP image content) of a symbol's candles with volume, chosen overlays (SMA/EMA, Bollinger Bands, session VWAP), an RSI or MACD pane, " +
    "and BUY/SELL markers from the analysis log. Rendered server-side; synthetic data is watermarked. The structured result lists what was drawn.",
  input: z.object({
    symbol: symbolSchema,
    timeframe: timeframeSchema.default("1Day"),
    limit: z.number().int().min(10).max(2000).default(120).describe("Bars to draw"),
    to: z.string().optional().describe("Last bar at or before this date/time (default: now)"),
    overlays: z.array(z.enum(OVERLAYS)).max(7).default(["sma20", "sma50", "bollinger"]),
    lower: z.enum(LOWER).default("rsi"),
    signals: z.boolean().default(true).describe("Mark logged analyses' BUY/SELL decisions"),
    width: z.number().int().min(300).max(2400).default(1000),
    height: z.number().int().min(200).max(2400).default(600),
  }),
  output: z.object({
    symbol: z.string(),
    timeframe: timeframeSchema,
    bars: z.object({ from: timeField, to: timeField, count: z.number().int() }),
    overlays: z.array(z.string()),
    lower: z.string(),
    markers: z.array(z.object({ time: timeField, kind: z.enum(["BUY", "SELL"]), analysisId: z.string() })),
    image: z.object({ mimeType: z.literal("image/png"), width: z.number().int(), height: z.number().int(), bytes: z.number().int(), font: z.string().nullable() }),
    source: sourceShape,
  }),
  annotations: READ_ONLY,
  async run(input, { app }) {
    const r = app.data.getBars({ symbol: input.symbol, timeframe: input.timeframe, limit: input.limit + WARMUP_BARS, ...(input.to ? { to: input.to } : {}) });
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
        const sessions = Int32Array.from(r.bars, (b) => dayNumber(app.data.calendar.dateAt(b.t)));
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
      for (const a of app.analysis.list({ symbol: r.symbol, limit: 500 })) {
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
    return new WithImages(
      {
        symbol: r.symbol,
        timeframe: input.timeframe,
        bars: { from: toExchangeIso(first.t), to: toExchangeIso(last.t), count: window.length },
        overlays: overlays.map((o) => o.name),
        lower: input.lower,
        markers: markers.map((m) => ({ time: toExchangeIso(m.t), kind: m.kind, analysisId: m.analysisId })),
        image: { mimeType: "image/png" as const, width: png.width, height: png.height, bytes: png.png.length, font: png.font },
        source: sourceOut(r.source),
      },
      [{ data: png.png.toString("base64"), mimeType: "image/png" }],
    );
  },
  summarize(o) {
    return `${syntheticLabel(o.source)}Chart of ${o.symbol} ${o.timeframe}, ${o.bars.count} bars ${o.bars.from.slice(0, 10)}..${o.bars.to.slice(0, 10)}, overlays ${o.overlays.join(", ") || "none"}, ${o.markers.length} signal markers (${o.image.width}×${o.image.height} PNG).`;
  },
});
