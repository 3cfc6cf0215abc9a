import { Resvg, renderAsync, type ResvgRenderOptions } from "@resvg/resvg-js";
import { drawCandles, drawHistogram, drawLine, drawMarkers, drawVolume, markerSize, THEME } from "./draw.js";
import { chartFonts, FONT_STACK, resvgFontOptions } from "./fonts.js";
import { formatCompact, formatFixed, niceTicks, paddedScale, priceDecimals, type LinearScale } from "./scales.js";
import { escapeXml, fitText, num, text, textWidth } from "./svg.js";
import { timeTicks } from "./time-axis.js";
import type { ChartPng, ChartSpec, RenderOptions } from "./types.js";
import { normalizeSpec, type LowerPane, type NormalizedChart, type Series } from "./validate.js";

/**
 * Server-side candlestick charts: a spec → an SVG string → a PNG through resvg.
 *
 * Layout, top to bottom: title, subtitle, legend row; the price pane (candles, price
 * overlays, volume along its bottom, markers, last-close tag); optional lower panes
 * (one per overlay group, e.g. RSI or MACD); the time axis. Values are labelled on a
 * right-hand axis. x is the bar index, so nights, weekends and holidays take no space.
 */

const FONT = { title: 15, subtitle: 11.5, legend: 11.5, axis: 11, paneLabel: 11, marker: 10 } as const;
const MARGIN = { left: 10, top: 10, bottom: 4 } as const;
const X_AXIS_HEIGHT = 22;
const PANE_GAP = 6;
const TAG_HEIGHT = 16;

interface Tag {
  y: number;
  text: string;
  color: string;
}

interface PaneGeometry {
  top: number;
  bottom: number;
  y: LinearScale;
  ticks: { value: number; label: string }[];
  tags: Tag[];
}

/** Last finite value of a series, or NaN. */
function lastFinite(values: ArrayLike<number>): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i]!)) return values[i]!;
  return Number.NaN;
}

/** A value for legends and tags: compact above 100k, else with decimals that suit its size. */
function formatValue(v: number): string {
  if (!Number.isFinite(v)) return "—";
  return Math.abs(v) >= 1e5 ? formatCompact(v) : formatFixed(v, priceDecimals(v));
}

function tickLabels(lo: number, hi: number, maxCount: number): { value: number; label: string }[] {
  const { ticks, step, decimals } = niceTicks(lo, hi, maxCount);
  return ticks.map((value) => ({ value, label: step >= 1e5 ? formatCompact(value) : formatFixed(value, decimals) }));
}

function extent(series: readonly Series[], into: [number, number], histogramZero = true): [number, number] {
  let [lo, hi] = into;
  for (const s of series) {
    const v = s.values;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (!Number.isFinite(x)) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (histogramZero && s.style === "histogram") {
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 0);
    }
  }
  return [lo, hi];
}

/** Spreads tags vertically so none overlap, keeping them inside [top, bottom]. */
function spreadTags(tags: Tag[], top: number, bottom: number): Tag[] {
  const sorted = [...tags].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (sorted[i]!.y - prev.y < TAG_HEIGHT) sorted[i] = { ...sorted[i]!, y: prev.y + TAG_HEIGHT };
  }
  const overflow = (sorted.at(-1)?.y ?? 0) + TAG_HEIGHT / 2 - bottom;
  if (overflow > 0) for (const t of sorted) t.y -= overflow;
  for (const t of sorted) t.y = Math.max(top + TAG_HEIGHT / 2, t.y);
  return sorted;
}

function lowerPaneGeometry(p: LowerPane, top: number, bottom: number): PaneGeometry {
  const fixed = p.min !== undefined && p.max !== undefined;
  let [lo, hi] = extent(p.series, [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  if (!fixed) {
    for (const g of [...p.guides, ...(p.band ?? [])]) {
      lo = Math.min(lo, g);
      hi = Math.max(hi, g);
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [p.min ?? 0, p.max ?? 1];
  lo = p.min ?? lo;
  hi = p.max ?? hi;
  // Auto-scaled panes keep their top clear for the pane label.
  const y = paddedScale(lo, hi, top, bottom, fixed ? 4 : Math.min(FONT.paneLabel + 12, (bottom - top) * 0.3), fixed ? 4 : 6);
  const ticks =
    fixed && p.guides.length > 0
      ? p.guides.map((g) => ({ value: g, label: formatFixed(g, Number.isInteger(g) ? 0 : 2) }))
      : tickLabels(y.domain[0], y.domain[1], Math.max(2, Math.floor((bottom - top) / 30)));
  const tags = p.series
    .filter((s) => s.style === "line" && Number.isFinite(lastFinite(s.values)))
    .map((s) => {
      const v = lastFinite(s.values);
      return { y: y(v), text: formatValue(v), color: s.color };
    })
    .filter((t) => t.y >= top && t.y <= bottom);
  return { top, bottom, y, ticks, tags: spreadTags(tags, top, bottom) };
}

/** Header lines and the price legend; returns their SVG and the y where the plot starts. */
function header(c: NormalizedChart, width: number, axisWidth: number): { svg: string; bottom: number } {
  const out: string[] = [];
  let baseline = MARGIN.top + FONT.title;
  const maxW = width - MARGIN.left - 10;
  out.push(text(MARGIN.left, baseline, fitText(c.title, FONT.title, maxW, true), `font-size="${FONT.title}" font-weight="bold" fill="${THEME.text}"`));
  if (c.subtitle) {
    baseline += FONT.subtitle + 6;
    out.push(text(MARGIN.left, baseline, fitText(c.subtitle, FONT.subtitle, maxW), `font-size="${FONT.subtitle}" fill="${THEME.muted}"`));
  }
  const items: { swatch: string; label: string; value: string; color: string }[] = [];
  for (const s of c.price) items.push({ swatch: "line", label: s.name, value: formatValue(lastFinite(s.values)), color: s.color });
  if (c.markers.some((m) => m.kind === "BUY")) items.push({ swatch: "buy", label: "Buy", value: "", color: THEME.up });
  if (c.markers.some((m) => m.kind === "SELL")) items.push({ swatch: "sell", label: "Sell", value: "", color: THEME.down });
  if (items.length > 0) {
    baseline += FONT.legend + 9;
    let x = MARGIN.left;
    const limit = width - axisWidth;
    for (const it of items) {
      const name = fitText(it.label, FONT.legend, 220);
      const w = 18 + textWidth(name, FONT.legend) + (it.value ? 6 + textWidth(it.value, FONT.legend) : 0);
      if (x + w > limit) {
        out.push(text(x, baseline, "…", `font-size="${FONT.legend}" fill="${THEME.muted}"`));
        break;
      }
      const mid = baseline - FONT.legend * 0.35;
      if (it.swatch === "line") out.push(`<path d="M${num(x)} ${num(mid)}h14" stroke="${it.color}" stroke-width="2.5" stroke-linecap="round"/>`);
      else if (it.swatch === "buy") out.push(`<path d="M${num(x + 7)} ${num(mid - 5)}l5 9h-10Z" fill="${it.color}"/>`);
      else out.push(`<path d="M${num(x + 7)} ${num(mid + 5)}l5 -9h-10Z" fill="${it.color}"/>`);
      out.push(text(x + 18, baseline, name, `font-size="${FONT.legend}" fill="${THEME.text}"`));
      if (it.value) out.push(text(x + 18 + textWidth(name, FONT.legend) + 6, baseline, it.value, `font-size="${FONT.legend}" fill="${it.color}"`));
      x += w + 16;
    }
  }
  return { svg: out.join(""), bottom: baseline + 10 };
}

/** Draws the chart as a standalone SVG document (width × height pixels). */
export function renderChartSvg(spec: ChartSpec): string {
  const c = normalizeSpec(spec);
  const { width: W, height: H, bars } = c;
  const n = bars.length;
  const intraday = c.timeframe !== "1Day";

  // Vertical layout. The header's height does not depend on the axis width (only the
  // legend's wrapping does), so measure it with a provisional axis width.
  const headerBottom = header(c, W, 60).bottom;
  const plotTop = headerBottom;
  const plotBottom = H - X_AXIS_HEIGHT - MARGIN.bottom;
  const available = Math.max(60, plotBottom - plotTop);
  const k = c.panes.length;
  let lowerH = 0;
  if (k > 0) {
    lowerH = Math.min(150, Math.max(50, Math.round(available * 0.2)));
    lowerH = Math.min(lowerH, Math.floor((available * 0.55) / k - PANE_GAP));
    lowerH = Math.max(24, lowerH);
  }
  const priceTop = plotTop;
  const priceBottom = plotBottom - k * (lowerH + PANE_GAP);
  const priceH = priceBottom - priceTop;

  // Price scale: candles and price overlays, padded for markers and the volume band.
  let [lo, hi] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const b of bars) {
    if (b.low < lo) lo = b.low;
    if (b.high > hi) hi = b.high;
  }
  [lo, hi] = extent(c.price, [lo, hi], false);
  const volumeH = c.volume ? Math.round(priceH * 0.18) : 0;
  const provisionalSlot = (W - 80) / n;
  const mark = markerSize(provisionalSlot) + 6;
  const labelled = (kind: "BUY" | "SELL") => c.markers.some((m) => m.kind === kind && m.label);
  const padTop = 10 + (c.markers.some((m) => m.kind === "SELL") ? mark + (labelled("SELL") ? 12 : 0) : 0);
  const padBottom = 8 + Math.round(volumeH * 0.55) + (c.markers.some((m) => m.kind === "BUY") ? mark + (labelled("BUY") ? 12 : 0) : 0);
  const yPrice = paddedScale(lo, hi, priceTop, priceBottom, Math.min(padTop, priceH * 0.3), Math.min(padBottom, priceH * 0.45));
  const lastBar = bars[n - 1]!;
  const price: PaneGeometry = {
    top: priceTop,
    bottom: priceBottom,
    y: yPrice,
    ticks: tickLabels(yPrice.domain[0], yPrice.domain[1], Math.max(4, Math.floor(priceH / 45))),
    tags: [{ y: yPrice(lastBar.close), text: formatFixed(lastBar.close, priceDecimals(lastBar.close)), color: lastBar.close >= lastBar.open ? THEME.up : THEME.down }],
  };
  const lower = c.panes.map((p, j) => {
    const top = priceBottom + PANE_GAP + j * (lowerH + PANE_GAP);
    return lowerPaneGeometry(p, top, top + lowerH);
  });
  const panes = [price, ...lower];

  // Horizontal layout: the value axis is as wide as its longest label.
  let labelW = 0;
  for (const p of panes) for (const s of [...p.ticks.map((t) => t.label), ...p.tags.map((t) => t.text)]) labelW = Math.max(labelW, textWidth(s, FONT.axis));
  const axisW = Math.ceil(Math.max(44, labelW + 16));
  const plotLeft = MARGIN.left;
  const plotRight = W - axisW;
  const plotW = plotRight - plotLeft;
  // A little air inside the frame, more on the right so the last bar stands clear of the axis.
  const innerLeft = 3;
  const innerRight = Math.max(6, Math.round(plotW * 0.012));
  const slot = (plotW - innerLeft - innerRight) / n;
  const x = (i: number) => plotLeft + innerLeft + (i + 0.5) * slot;
  const xTicks = timeTicks(bars, c.timeframe, x, plotW, FONT.axis);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);
  out.push(`<title>${escapeXml(c.title)}</title>`);
  out.push("<defs>");
  panes.forEach((p, j) => out.push(`<clipPath id="pane${j}"><rect x="${plotLeft}" y="${num(p.top)}" width="${num(plotW)}" height="${num(p.bottom - p.top)}"/></clipPath>`));
  out.push("</defs>");
  out.push(`<rect width="${W}" height="${H}" fill="${THEME.background}"/>`);
  out.push(`<g font-family="${FONT_STACK}">`);

  // Grid: value ticks per pane, time ticks through every pane.
  const grid: string[] = [];
  for (const p of panes) for (const t of p.ticks) grid.push(`M${plotLeft} ${num(Math.round(p.y(t.value)) + 0.5)}H${plotRight}`);
  const vgrid: string[] = [];
  const vgridMajor: string[] = [];
  for (const t of xTicks) for (const p of panes) (t.major ? vgridMajor : vgrid).push(`M${num(Math.floor(x(t.index)) + 0.5)} ${num(p.top)}V${num(p.bottom)}`);
  out.push(`<path class="grid" d="${grid.join("")}${vgrid.join("")}" stroke="${THEME.grid}" stroke-width="1" fill="none"/>`);
  if (vgridMajor.length) out.push(`<path class="grid" d="${vgridMajor.join("")}" stroke="${THEME.gridMajor}" stroke-width="1" fill="none"/>`);

  // Price pane.
  out.push(`<g class="pane price" clip-path="url(#pane0)">`);
  if (c.watermark) {
    const size = Math.max(14, Math.min(priceH * 0.3, (plotW * 0.75) / Math.max(1, textWidth(c.watermark, 1, true))));
    out.push(text(plotLeft + plotW / 2, priceTop + priceH * 0.45 + size * 0.36, c.watermark, `class="watermark" font-size="${num(size)}" font-weight="bold" text-anchor="middle" fill="${THEME.text}" fill-opacity="0.06"`));
  }
  if (c.volume) out.push(drawVolume(bars, x, slot, priceBottom, volumeH));
  const lastY = Math.round(yPrice(lastBar.close)) + 0.5;
  out.push(`<path d="M${plotLeft} ${num(lastY)}H${plotRight}" stroke="${price.tags[0]!.color}" stroke-opacity="0.6" stroke-width="1" stroke-dasharray="2 3"/>`);
  out.push(drawCandles(bars, x, slot, yPrice));
  for (const s of c.price) {
    out.push(s.style === "histogram" ? drawHistogram(s.values, x, slot, yPrice, s.color) : drawLine(s.values, x, yPrice, s.color, 1.5));
  }
  out.push(
    drawMarkers(c.markers, bars, x, slot, yPrice, (lx, ly, label, color) => {
      const half = textWidth(label, FONT.marker, true) / 2 + 2;
      return text(Math.min(Math.max(lx, plotLeft + half), plotRight - half), ly, label, `class="marker-label" font-size="${FONT.marker}" font-weight="bold" text-anchor="middle" fill="${color}"`);
    }),
  );
  out.push("</g>");

  // Lower panes.
  c.panes.forEach((p, j) => {
    const g = lower[j]!;
    out.push(`<g class="pane lower" clip-path="url(#pane${j + 1})">`);
    if (p.band) {
      const [a, b] = [g.y(p.band[1]), g.y(p.band[0])];
      out.push(`<rect x="${plotLeft}" y="${num(a)}" width="${num(plotW)}" height="${num(Math.max(0, b - a))}" fill="${THEME.band}" fill-opacity="0.07"/>`);
    }
    if (p.guides.length) {
      const d = p.guides.map((v) => `M${plotLeft} ${num(Math.round(g.y(v)) + 0.5)}H${plotRight}`).join("");
      out.push(`<path class="guide" d="${d}" stroke="${THEME.guide}" stroke-width="1" stroke-dasharray="4 3" fill="none"/>`);
    }
    for (const s of p.series.filter((s) => s.style === "histogram")) out.push(drawHistogram(s.values, x, slot, g.y, s.colorGiven ? s.color : null));
    for (const s of p.series.filter((s) => s.style === "line")) out.push(drawLine(s.values, x, g.y, s.color, 1.4));
    out.push("</g>");
    // Label: the pane title, then each series' last value in its colour.
    const parts: { text: string; color: string; bold?: boolean }[] = [{ text: p.title, color: THEME.text, bold: true }];
    for (const s of p.series) {
      if (s.name !== p.title) parts.push({ text: s.name, color: THEME.muted });
      parts.push({ text: formatValue(lastFinite(s.values)), color: s.style === "histogram" && !s.colorGiven ? THEME.muted : s.color });
    }
    let lx = plotLeft + 6;
    const ly = g.top + FONT.paneLabel + 4;
    const spans: string[] = [];
    for (const part of parts) {
      const t = fitText(part.text, FONT.paneLabel, 160, part.bold);
      const w = textWidth(t, FONT.paneLabel, part.bold);
      if (lx + w > plotRight - 6) break;
      spans.push(text(lx, ly, t, `font-size="${FONT.paneLabel}" fill="${part.color}"${part.bold ? ' font-weight="bold"' : ""}`));
      lx += w + 7;
    }
    out.push(`<rect x="${plotLeft + 2}" y="${num(g.top + 2)}" width="${num(Math.max(0, lx - plotLeft - 4))}" height="${FONT.paneLabel + 7}" fill="${THEME.background}" fill-opacity="0.85"/>`);
    out.push(spans.join(""));
  });

  // Pane frames and the value axis.
  for (const p of panes) {
    out.push(`<rect class="frame" x="${plotLeft + 0.5}" y="${num(Math.round(p.top) + 0.5)}" width="${num(plotW - 1)}" height="${num(Math.round(p.bottom) - Math.round(p.top) - 1)}" fill="none" stroke="${THEME.border}" stroke-width="1"/>`);
    for (const t of p.ticks) {
      const ty = p.y(t.value);
      if (ty < p.top + 5 || ty > p.bottom - 5) continue;
      if (p.tags.some((tag) => Math.abs(tag.y - ty) < TAG_HEIGHT * 0.9)) continue;
      out.push(`<path d="M${plotRight} ${num(Math.round(ty) + 0.5)}h4" stroke="${THEME.border}"/>`);
      out.push(text(plotRight + 7, ty + FONT.axis * 0.36, t.label, `font-size="${FONT.axis}" fill="${THEME.muted}"`));
    }
    for (const tag of p.tags) {
      if (tag.y < p.top || tag.y > p.bottom) continue;
      out.push(`<rect class="tag" x="${plotRight + 1}" y="${num(tag.y - TAG_HEIGHT / 2)}" width="${num(axisW - 3)}" height="${TAG_HEIGHT}" rx="2" fill="${tag.color}"/>`);
      out.push(text(plotRight + 7, tag.y + FONT.axis * 0.36, tag.text, `font-size="${FONT.axis}" fill="#ffffff"`));
    }
  }

  // Time axis.
  const axisY = plotBottom;
  for (const t of xTicks) {
    const tx = x(t.index);
    const w = textWidth(t.label, FONT.axis, t.major);
    const lx = Math.min(Math.max(tx, plotLeft + w / 2), plotRight - w / 2);
    out.push(`<path d="M${num(Math.floor(tx) + 0.5)} ${num(axisY)}v4" stroke="${THEME.border}"/>`);
    out.push(text(lx, axisY + 16, t.label, `font-size="${FONT.axis}" text-anchor="middle" fill="${t.major ? THEME.text : THEME.muted}"${t.major ? ' font-weight="bold"' : ""}`));
  }
  if (intraday) out.push(text(W - 6, axisY + 16, "ET", `font-size="${FONT.axis}" text-anchor="end" fill="${THEME.muted}"`));

  out.push(header(c, W, axisW).svg);
  out.push("</g></svg>");
  return out.join("");
}

function resvgOptions(width: number, options: RenderOptions | undefined): { opts: ResvgRenderOptions; font: string | null } {
  const fonts = chartFonts(options?.fontFiles ?? []);
  return {
    opts: { fitTo: { mode: "width", value: width }, background: THEME.background, font: resvgFontOptions(fonts), shapeRendering: 2, textRendering: 1, logLevel: "off" },
    font: fonts.label,
  };
}

/** Renders the chart to PNG (synchronously: ~20–100 ms for 1000×600, blocking the event loop). */
export function renderChartPng(spec: ChartSpec, options?: RenderOptions): ChartPng {
  const svg = renderChartSvg(spec);
  const size = svgSize(svg);
  const { opts, font } = resvgOptions(size.width, options);
  const image = new Resvg(svg, opts).render();
  return { png: image.asPng(), width: image.width, height: image.height, svg, font };
}

/** As renderChartPng, with the rasterising on resvg's worker thread. */
export async function renderChartPngAsync(spec: ChartSpec, options?: RenderOptions): Promise<ChartPng> {
  const svg = renderChartSvg(spec);
  const size = svgSize(svg);
  const { opts, font } = resvgOptions(size.width, options);
  const image = await renderAsync(svg, opts);
  return { png: image.asPng(), width: image.width, height: image.height, svg, font };
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg [^>]*?width="(\d+)" height="(\d+)"/.exec(svg);
  return { width: Number(m?.[1] ?? 1000), height: Number(m?.[2] ?? 600) };
}
