import { z } from "zod";
import { CHART_LOWER, CHART_OVERLAYS } from "../../src/analysis/chart/ticker-chart.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeframeSchema } from "../../src/data/timeframes.js";
import { sourceOut, sourceShape, syntheticLabel, timeField } from "../data/shapes.js";
import { defineTool, READ_ONLY, WithImages } from "../spec.js";

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
    overlays: z.array(z.enum(CHART_OVERLAYS)).max(7).default(["sma20", "sma50", "bollinger"]),
    lower: z.enum(CHART_LOWER).default("rsi"),
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
    const c = await app.analysis.chart(input);
    const { png, window } = c;
    const first = window[0]!;
    const last = window[window.length - 1]!;
    return new WithImages(
      {
        symbol: c.symbol,
        timeframe: input.timeframe,
        bars: { from: toExchangeIso(first.t), to: toExchangeIso(last.t), count: window.length },
        overlays: c.overlays.map((o) => o.name),
        lower: input.lower,
        markers: c.markers.map((m) => ({ time: toExchangeIso(m.t), kind: m.kind, analysisId: m.analysisId })),
        image: { mimeType: "image/png" as const, width: png.width, height: png.height, bytes: png.png.length, font: png.font },
        source: sourceOut(c.source),
      },
      [{ data: png.png.toString("base64"), mimeType: "image/png" }],
    );
  },
  summarize(o) {
    return `${syntheticLabel(o.source)}Chart of ${o.symbol} ${o.timeframe}, ${o.bars.count} bars ${o.bars.from.slice(0, 10)}..${o.bars.to.slice(0, 10)}, overlays ${o.overlays.join(", ") || "none"}, ${o.markers.length} signal markers (${o.image.width}×${o.image.height} PNG).`;
  },
});
