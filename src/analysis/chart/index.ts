/** Server-side candlestick charts (SVG and PNG). See render.ts for the layout. */
export { renderChartPng, renderChartPngAsync, renderChartSvg } from "./render.js";
export { CHART_LIMITS } from "./validate.js";
export { chartFonts } from "./fonts.js";
export { niceTicks } from "./scales.js";
export type { ChartMarker, ChartOverlay, ChartPng, ChartSpec, LowerPaneSpec, RenderOptions } from "./types.js";
