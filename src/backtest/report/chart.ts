import { Resvg } from "@resvg/resvg-js";
import { linePath, THEME } from "../../analysis/chart/draw.js";
import { chartFonts, FONT_STACK, resvgFontOptions } from "../../analysis/chart/fonts.js";
import { formatFixed, niceTicks, paddedScale, stepDecimals, type LinearScale } from "../../analysis/chart/scales.js";
import { escapeXml, fitText, num, text, textWidth } from "../../analysis/chart/svg.js";
import { timeTicks } from "../../analysis/chart/time-axis.js";
import { CHART_LIMITS, PALETTE } from "../../analysis/chart/validate.js";
import { ArgusError } from "../../core/errors.js";

/**
 * The backtest report's picture: equity (strategy and buy-and-hold benchmark) over a
 * drawdown pane, as SVG and PNG. Built on the candlestick chart's helpers (scales, time
 * axis, fonts, text metrics) so both kinds of chart look alike. x is the step index, so
 * nights and weekends take no space, exactly as in the price charts.
 */

export interface BacktestChartInput {
  title: string;
  subtitle?: string;
  t: readonly number[];
  equity: readonly number[];
  benchmarkEquity: readonly (number | null)[];
  benchmarkLabel: string | null;
  drawdown: readonly number[];
  benchmarkDrawdown?: readonly (number | null)[];
}

export interface BacktestChartOptions {
  width?: number;
  height?: number;
}

const FONT = { title: 15, subtitle: 11.5, legend: 11.5, axis: 11, paneLabel: 11 } as const;
const MARGIN = { left: 10, top: 10, bottom: 4 } as const;
const X_AXIS_HEIGHT = 22;
const PANE_GAP = 8;
/** Share of the plot height given to the drawdown pane. */
const DRAWDOWN_SHARE = 0.3;
const COLOR = { strategy: PALETTE[0], benchmark: PALETTE[1], drawdown: THEME.down } as const;

interface Tick {
  value: number;
  label: string;
}

function clampSize(v: number | undefined, limits: { min: number; max: number; default: number }): number {
  if (v === undefined || !Number.isFinite(v)) return limits.default;
  return Math.round(Math.min(limits.max, Math.max(limits.min, v)));
}

const toNumber = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);

/**
 * At most two points per pixel column: the column's lowest and highest finite values, in
 * index order. Keeping both extremes means a one-day crash or drawdown trough survives a
 * 20-year series on a 1000-pixel chart. A non-finite value becomes a NaN break so gaps
 * stay gaps.
 */
export function decimate(values: ArrayLike<number>, xOf: (i: number) => number): { x: number[]; v: number[] } {
  const xs: number[] = [];
  const vs: number[] = [];
  let column = Number.NaN;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (lo < 0) return;
    const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
    xs.push(xOf(a));
    vs.push(values[a]!);
    if (b !== a) {
      xs.push(xOf(b));
      vs.push(values[b]!);
    }
    lo = hi = -1;
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      flush();
      if (vs.length > 0 && Number.isFinite(vs[vs.length - 1]!)) {
        xs.push(xOf(i));
        vs.push(Number.NaN);
      }
      column = Number.NaN;
      continue;
    }
    const c = Math.floor(xOf(i));
    if (c !== column) {
      flush();
      column = c;
    }
    if (lo < 0 || v < values[lo]!) lo = i;
    if (hi < 0 || v > values[hi]!) hi = i;
  }
  flush();
  return { x: xs, v: vs };
}

/** A polyline through the decimated points, broken at NaNs. */
function seriesPath(values: ArrayLike<number>, x: (i: number) => number, y: LinearScale): string {
  const d = decimate(values, x);
  return linePath(d.v, (k) => d.x[k]!, y);
}

/** Filled regions between each finite run and y = 0 (the drawdown "underwater" area). */
function areaPath(values: ArrayLike<number>, x: (i: number) => number, y: LinearScale): string {
  const d = decimate(values, x);
  const zero = num(y(0));
  const parts: string[] = [];
  let runStart = -1;
  const close = (end: number) => {
    if (runStart >= 0) parts.push(`L${num(d.x[end]!)} ${zero}Z`);
    runStart = -1;
  };
  for (let k = 0; k < d.v.length; k++) {
    const v = d.v[k]!;
    if (!Number.isFinite(v)) {
      close(k - 1);
      continue;
    }
    if (runStart < 0) {
      runStart = k;
      parts.push(`M${num(d.x[k]!)} ${zero}`);
    }
    parts.push(`L${num(d.x[k]!)} ${num(y(v))}`);
  }
  close(d.v.length - 1);
  return parts.join("");
}

function extent(series: readonly ArrayLike<number>[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

function lastFinite(values: ArrayLike<number>): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i]!)) return values[i]!;
  return Number.NaN;
}

/** Money for the legend: whole dollars from $1,000 up, cents below. */
function money(v: number): string {
  if (!Number.isFinite(v)) return "—";
  const s = formatFixed(Math.abs(v), Math.abs(v) >= 1000 ? 0 : 2);
  return `${v < 0 ? "−" : ""}$${s}`;
}

/**
 * Money ticks in one unit for the whole axis ($K, $M, $B or plain dollars), with just the
 * decimals the step needs, so neighbouring labels never print the same.
 */
function moneyTicks(lo: number, hi: number, maxCount: number): Tick[] {
  const { ticks, step } = niceTicks(lo, hi, maxCount);
  const top = Math.max(...ticks.map(Math.abs), 0);
  const [unit, suffix] = top >= 1e10 ? [1e9, "B"] : top >= 1e7 ? [1e6, "M"] : top >= 1e4 ? [1e3, "K"] : [1, ""];
  const decimals = stepDecimals(step / unit);
  return ticks.map((value) => ({ value, label: `${value < 0 ? "−" : ""}$${formatFixed(Math.abs(value) / unit, decimals)}${suffix}` }));
}

function percentTicks(lo: number, hi: number, maxCount: number): Tick[] {
  const { ticks, step } = niceTicks(lo, hi, maxCount);
  const decimals = stepDecimals(step * 100);
  return ticks.filter((v) => v <= 0).map((value) => ({ value, label: `${value < 0 ? "−" : ""}${formatFixed(Math.abs(value) * 100, decimals)}%` }));
}

function checkLengths(input: BacktestChartInput): void {
  const n = input.t.length;
  const lengths: Record<string, number> = { equity: input.equity.length, benchmarkEquity: input.benchmarkEquity.length, drawdown: input.drawdown.length };
  if (input.benchmarkDrawdown) lengths.benchmarkDrawdown = input.benchmarkDrawdown.length;
  for (const [name, length] of Object.entries(lengths)) {
    if (length !== n) throw new ArgusError("INVALID_INPUT", `The chart's ${name} has ${length} values but t has ${n}; every series must have one value per step.`, { series: name, length, steps: n });
  }
}

/** Title, subtitle and legend; returns their SVG and the y where the plot starts. */
function header(input: BacktestChartInput, width: number, strategyLast: number, benchmark: { label: string; last: number } | null): { svg: string; bottom: number } {
  const out: string[] = [];
  const maxW = width - MARGIN.left - 10;
  let baseline = MARGIN.top + FONT.title;
  out.push(text(MARGIN.left, baseline, fitText(input.title, FONT.title, maxW, true), `font-size="${FONT.title}" font-weight="bold" fill="${THEME.text}"`));
  if (input.subtitle) {
    baseline += FONT.subtitle + 6;
    out.push(text(MARGIN.left, baseline, fitText(input.subtitle, FONT.subtitle, maxW), `font-size="${FONT.subtitle}" fill="${THEME.muted}"`));
  }
  baseline += FONT.legend + 9;
  const items: { label: string; value: string; color: string }[] = [{ label: "Strategy", value: money(strategyLast), color: COLOR.strategy }];
  if (benchmark) items.push({ label: `${benchmark.label} (buy and hold)`, value: money(benchmark.last), color: COLOR.benchmark });
  let x = MARGIN.left;
  const mid = baseline - FONT.legend * 0.35;
  for (const it of items) {
    const name = fitText(it.label, FONT.legend, 260);
    out.push(`<path d="M${num(x)} ${num(mid)}h14" stroke="${it.color}" stroke-width="2.5" stroke-linecap="round"/>`);
    out.push(text(x + 18, baseline, name, `class="legend" font-size="${FONT.legend}" fill="${THEME.text}"`));
    const valueX = x + 18 + textWidth(name, FONT.legend) + 6;
    out.push(text(valueX, baseline, it.value, `font-size="${FONT.legend}" fill="${it.color}"`));
    x = valueX + textWidth(it.value, FONT.legend) + 16;
  }
  return { svg: out.join(""), bottom: baseline + 10 };
}

/** The chart as a standalone SVG document. */
export function backtestChartSvg(input: BacktestChartInput, opts: BacktestChartOptions = {}): string {
  checkLengths(input);
  const W = clampSize(opts.width, CHART_LIMITS.width);
  const H = clampSize(opts.height, CHART_LIMITS.height);
  const n = input.t.length;
  const equity = Float64Array.from(input.equity, toNumber);
  const benchmark = Float64Array.from(input.benchmarkEquity, toNumber);
  const drawdown = Float64Array.from(input.drawdown, toNumber);
  const benchmarkDrawdown = input.benchmarkDrawdown ? Float64Array.from(input.benchmarkDrawdown, toNumber) : null;
  const hasBenchmark = input.benchmarkLabel !== null && benchmark.some(Number.isFinite);

  const head = header(input, W, lastFinite(equity), hasBenchmark ? { label: input.benchmarkLabel!, last: lastFinite(benchmark) } : null);
  const plotTop = head.bottom;
  const plotBottom = H - X_AXIS_HEIGHT - MARGIN.bottom;
  const available = Math.max(80, plotBottom - plotTop);
  const ddH = Math.max(40, Math.round((available - PANE_GAP) * DRAWDOWN_SHARE));
  const eqTop = plotTop;
  const eqBottom = plotBottom - ddH - PANE_GAP;
  const ddTop = eqBottom + PANE_GAP;
  const ddBottom = plotBottom;

  // Equity scale over both curves (a NaN-only chart falls back to a unit range).
  let [lo, hi] = extent(hasBenchmark ? [equity, benchmark] : [equity]);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const yEquity = paddedScale(lo, hi, eqTop, eqBottom, 10, 10);
  const equityTicks = moneyTicks(yEquity.domain[0], yEquity.domain[1], Math.max(3, Math.floor((eqBottom - eqTop) / 45)));

  // Drawdown scale: from the deepest trough to 0; a curve that never fell still shows 0% to −1%.
  let [ddLo] = extent(benchmarkDrawdown && hasBenchmark ? [drawdown, benchmarkDrawdown] : [drawdown]);
  if (!Number.isFinite(ddLo) || ddLo > -0.01) ddLo = -0.01;
  const yDrawdown = paddedScale(ddLo, 0, ddTop, ddBottom, FONT.paneLabel + 10, 4);
  const drawdownTicks = percentTicks(yDrawdown.domain[0], 0, Math.max(2, Math.floor((ddBottom - ddTop) / 28)));

  // The value axis is as wide as its longest label.
  let labelW = 0;
  for (const t of [...equityTicks, ...drawdownTicks]) labelW = Math.max(labelW, textWidth(t.label, FONT.axis));
  const axisW = Math.ceil(Math.max(44, labelW + 16));
  const plotLeft = MARGIN.left;
  const plotRight = W - axisW;
  const plotW = plotRight - plotLeft;
  const inner = { left: 3, right: Math.max(6, Math.round(plotW * 0.012)) };
  const span = plotW - inner.left - inner.right;
  const x = (i: number) => plotLeft + inner.left + (n > 1 ? (i / (n - 1)) * span : span / 2);
  // Time ticks only read t; "1Day" keeps labels at dates or coarser, even for minute steps.
  const xTicks = timeTicks(
    input.t.map((t) => ({ t, open: 0, high: 0, low: 0, close: 0, volume: 0 })),
    "1Day",
    x,
    plotW,
    FONT.axis,
  );

  const panes = [
    { top: eqTop, bottom: eqBottom, y: yEquity, ticks: equityTicks },
    { top: ddTop, bottom: ddBottom, y: yDrawdown, ticks: drawdownTicks },
  ];
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);
  out.push(`<title>${escapeXml(input.title)}</title>`);
  out.push("<defs>");
  panes.forEach((p, j) => out.push(`<clipPath id="bt-pane${j}"><rect x="${plotLeft}" y="${num(p.top)}" width="${num(plotW)}" height="${num(p.bottom - p.top)}"/></clipPath>`));
  out.push("</defs>");
  out.push(`<rect width="${W}" height="${H}" fill="${THEME.background}"/>`);
  out.push(`<g font-family="${FONT_STACK}">`);

  // Grid: value ticks per pane, time ticks through both.
  const grid: string[] = [];
  const gridMajor: string[] = [];
  for (const p of panes) for (const t of p.ticks) grid.push(`M${plotLeft} ${num(Math.round(p.y(t.value)) + 0.5)}H${plotRight}`);
  for (const t of xTicks) for (const p of panes) (t.major ? gridMajor : grid).push(`M${num(Math.floor(x(t.index)) + 0.5)} ${num(p.top)}V${num(p.bottom)}`);
  out.push(`<path class="grid" d="${grid.join("")}" stroke="${THEME.grid}" stroke-width="1" fill="none"/>`);
  if (gridMajor.length) out.push(`<path class="grid" d="${gridMajor.join("")}" stroke="${THEME.gridMajor}" stroke-width="1" fill="none"/>`);
  for (const p of panes) out.push(`<rect x="${plotLeft + 0.5}" y="${num(p.top + 0.5)}" width="${num(plotW - 1)}" height="${num(p.bottom - p.top - 1)}" fill="none" stroke="${THEME.border}" stroke-width="1"/>`);

  // Equity pane: the starting capital as a guide, then benchmark under strategy.
  out.push(`<g class="pane equity" clip-path="url(#bt-pane0)">`);
  const start = equity.find(Number.isFinite);
  if (start !== undefined) out.push(`<path class="guide" d="M${plotLeft} ${num(Math.round(yEquity(start)) + 0.5)}H${plotRight}" stroke="${THEME.guide}" stroke-width="1" stroke-dasharray="4 3"/>`);
  const line = (cls: string, values: ArrayLike<number>, y: LinearScale, color: string, width: number) => {
    const d = seriesPath(values, x, y);
    return d ? `<path class="${cls}" d="${d}" fill="none" stroke="${color}" stroke-width="${width}" stroke-linejoin="round" stroke-linecap="round"/>` : "";
  };
  if (hasBenchmark) out.push(line("benchmark", benchmark, yEquity, COLOR.benchmark, 1.4));
  out.push(line("equity", equity, yEquity, COLOR.strategy, 1.8));
  out.push("</g>");

  // Drawdown pane: the strategy underwater area, the benchmark's drawdown as a line.
  out.push(`<g class="pane drawdown" clip-path="url(#bt-pane1)">`);
  const area = areaPath(drawdown, x, yDrawdown);
  if (area) out.push(`<path class="drawdown-area" d="${area}" fill="${COLOR.drawdown}" fill-opacity="0.22" stroke="none"/>`);
  out.push(line("drawdown", drawdown, yDrawdown, COLOR.drawdown, 1.2));
  if (hasBenchmark && benchmarkDrawdown) out.push(line("benchmark-drawdown", benchmarkDrawdown, yDrawdown, COLOR.benchmark, 1));
  out.push(`<path d="M${plotLeft} ${num(Math.round(yDrawdown(0)) + 0.5)}H${plotRight}" stroke="${THEME.border}" stroke-width="1"/>`);
  out.push("</g>");
  const worst = extent([drawdown])[0];
  const ddLabel = `Drawdown${Number.isFinite(worst) ? ` (worst ${worst < 0 ? "−" : ""}${formatFixed(Math.abs(worst) * 100, 1)}%)` : ""}`;
  out.push(text(plotLeft + 6, ddTop + FONT.paneLabel + 4, ddLabel, `class="pane-label" font-size="${FONT.paneLabel}" font-weight="bold" fill="${THEME.text}"`));

  // Value axes.
  for (const p of panes) {
    for (const t of p.ticks) {
      const ty = p.y(t.value);
      if (ty < p.top + 5 || ty > p.bottom - 5) continue;
      out.push(`<path d="M${plotRight} ${num(Math.round(ty) + 0.5)}h4" stroke="${THEME.border}"/>`);
      out.push(text(plotRight + 7, ty + FONT.axis * 0.36, t.label, `font-size="${FONT.axis}" fill="${THEME.muted}"`));
    }
  }

  // Time axis.
  for (const t of xTicks) {
    const tx = x(t.index);
    const w = textWidth(t.label, FONT.axis, t.major);
    const lx = Math.min(Math.max(tx, plotLeft + w / 2), plotRight - w / 2);
    out.push(`<path d="M${num(Math.floor(tx) + 0.5)} ${num(plotBottom)}v4" stroke="${THEME.border}"/>`);
    out.push(text(lx, plotBottom + 16, t.label, `font-size="${FONT.axis}" text-anchor="middle" fill="${t.major ? THEME.text : THEME.muted}"${t.major ? ' font-weight="bold"' : ""}`));
  }
  if (n === 0) out.push(text(plotLeft + plotW / 2, (eqTop + eqBottom) / 2, "No data", `font-size="${FONT.title}" text-anchor="middle" fill="${THEME.muted}"`));

  out.push(head.svg);
  out.push("</g></svg>");
  return out.join("");
}

/** Renders the chart to PNG (synchronously; decimation keeps long runs to a few thousand points). */
export function renderBacktestChartPng(input: BacktestChartInput, opts?: BacktestChartOptions): { png: Buffer; width: number; height: number } {
  const svg = backtestChartSvg(input, opts);
  const width = clampSize(opts?.width, CHART_LIMITS.width);
  const image = new Resvg(svg, {
    fitTo: { mode: "width", value: width },
    background: THEME.background,
    font: resvgFontOptions(chartFonts()),
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
