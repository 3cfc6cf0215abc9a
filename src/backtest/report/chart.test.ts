import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import { backtestChartSvg, decimate, renderBacktestChartPng, type BacktestChartInput } from "./chart.js";
import { drawdownSeries } from "./metrics.js";

const DAY = 86_400_000;

/** `n` weekday closes (21:00 UTC) from `start`, with a deterministic wobbly equity curve. */
function series(n: number, start = Date.UTC(2005, 0, 3)): BacktestChartInput {
  const t: number[] = [];
  for (let day = start; t.length < n; day += DAY) {
    const wd = new Date(day).getUTCDay();
    if (wd !== 0 && wd !== 6) t.push(day + 21 * 3_600_000);
  }
  const equity = t.map((_, i) => 100_000 * (1 + i * 0.0004 + 0.08 * Math.sin(i / 40) + 0.02 * Math.sin(i * 1.3)));
  const benchmarkEquity = t.map((_, i) => (i < 10 ? null : 100_000 * (1 + i * 0.0003 + 0.1 * Math.sin(i / 55))));
  const benchmarkDrawdown: (number | null)[] = new Array(n).fill(null);
  const defined = benchmarkEquity.flatMap((v, i) => (v === null ? [] : [i]));
  drawdownSeries(defined.map((i) => benchmarkEquity[i]!)).forEach((d, k) => (benchmarkDrawdown[defined[k]!] = d));
  return { title: "Ensemble on DEMO universe", subtitle: "2005-01-03 → 2024-03-01", t, equity, benchmarkEquity, benchmarkLabel: "SPY", drawdown: drawdownSeries(equity), benchmarkDrawdown };
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The `d` of the path with this class. */
function pathOf(svg: string, cls: string): string | null {
  return new RegExp(`<path class="${cls}" d="([^"]*)"`).exec(svg)?.[1] ?? null;
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe("renderBacktestChartPng", () => {
  it("renders a PNG of the default and of a requested size", () => {
    const r = renderBacktestChartPng(series(300));
    expect(pngSize(r.png)).toEqual({ width: 1000, height: 600 });
    expect([r.width, r.height]).toEqual([1000, 600]);
    expect(pngSize(renderBacktestChartPng(series(300), { width: 800, height: 480 }).png)).toEqual({ width: 800, height: 480 });
  });

  it("renders 5,000 points in one call, decimated to at most two points per pixel column", () => {
    const input = series(5_000);
    const started = performance.now();
    const r = renderBacktestChartPng(input);
    const elapsed = performance.now() - started;
    expect(pngSize(r.png)).toEqual({ width: 1000, height: 600 });
    expect(elapsed).toBeLessThan(5_000);
    const svg = backtestChartSvg(input);
    const vertices = count(pathOf(svg, "equity")!, /[ML]/g);
    expect(vertices).toBeLessThanOrEqual(2 * 1000);
    expect(vertices).toBeGreaterThan(500);
    // Twenty years: the axis is labelled by year.
    expect(svg).toMatch(/>2010<\/text>/);
  });

  it("labels a short span by month", () => {
    const svg = backtestChartSvg(series(90, Date.UTC(2024, 0, 2)));
    expect(svg).toMatch(/>Feb<\/text>/);
    expect(svg).toMatch(/>Apr<\/text>/);
  });

  it("escapes the title, subtitle and benchmark label", () => {
    const input = { ...series(50), title: "<script>alert(1)</script> & co", subtitle: `"quoted" <b>`, benchmarkLabel: "S&P <500>" };
    const svg = backtestChartSvg(input);
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
    expect(svg).toContain("S&amp;P &lt;500&gt;");
    expect(pngSize(renderBacktestChartPng(input).png).width).toBe(1000);
  });

  it("works with a benchmark that never has a value", () => {
    const base = series(120);
    const input = { ...base, benchmarkEquity: base.t.map(() => null), benchmarkDrawdown: base.t.map(() => null) };
    const svg = backtestChartSvg(input);
    expect(pathOf(svg, "benchmark")).toBeNull();
    expect(pathOf(svg, "benchmark-drawdown")).toBeNull();
    expect(svg).not.toContain("buy and hold");
    expect(svg).not.toContain("NaN");
    expect(pngSize(renderBacktestChartPng(input).png).height).toBe(600);
    // No label at all: no benchmark either, even with values.
    expect(pathOf(backtestChartSvg({ ...base, benchmarkLabel: null }), "benchmark")).toBeNull();
  });

  it("works with a flat equity curve (no drawdown)", () => {
    const base = series(60);
    const input = { ...base, equity: base.t.map(() => 100_000), drawdown: base.t.map(() => 0), benchmarkEquity: base.t.map(() => null), benchmarkLabel: null };
    const svg = backtestChartSvg(input);
    expect(svg).not.toContain("NaN");
    expect(svg).toContain(">0.00%</text>");
    expect(svg).toContain("Drawdown (worst 0.0%)");
    expect(pngSize(renderBacktestChartPng(input).png).width).toBe(1000);
  });

  it("breaks lines at NaN and null gaps", () => {
    const base = series(100);
    const equity = base.equity.map((v, i) => (i >= 40 && i < 50 ? Number.NaN : v));
    const svg = backtestChartSvg({ ...base, equity, drawdown: drawdownSeries(equity) });
    expect(count(pathOf(svg, "equity")!, /M/g)).toBe(2);
    expect(count(pathOf(svg, "drawdown-area")!, /Z/g)).toBe(2);
    expect(count(pathOf(svg, "benchmark")!, /M/g)).toBe(1); // nulls only at the start
    expect(svg).not.toContain("NaN");
  });

  it("draws an empty chart without data, and refuses series of different lengths", () => {
    const empty = { title: "Empty", t: [], equity: [], benchmarkEquity: [], benchmarkLabel: null, drawdown: [] };
    expect(backtestChartSvg(empty)).toContain("No data");
    expect(pngSize(renderBacktestChartPng(empty).png).width).toBe(1000);
    const base = series(10);
    expect(() => backtestChartSvg({ ...base, drawdown: base.drawdown.slice(1) })).toThrow(ArgusError);
  });
});

describe("decimate", () => {
  it("keeps each column's extremes in index order, so a one-step trough survives", () => {
    // 1000 values over 100 columns (10 per column), one deep spike at index 555.
    const values = Array.from({ length: 1000 }, (_, i) => (i === 555 ? -0.5 : -0.01 * (i % 10)));
    const d = decimate(values, (i) => i / 10);
    expect(d.v.length).toBeLessThanOrEqual(200);
    expect(Math.min(...d.v)).toBe(-0.5);
    expect(d.x).toEqual([...d.x].sort((a, b) => a - b));
  });

  it("keeps short series whole and marks gaps with one NaN", () => {
    expect(decimate([1, 2, 3], (i) => i * 10)).toEqual({ x: [0, 10, 20], v: [1, 2, 3] });
    const d = decimate([1, Number.NaN, Number.NaN, 4], (i) => i * 10);
    expect(d.x).toEqual([0, 10, 30]);
    expect(d.v[1]).toBeNaN();
    expect([d.v[0], d.v[2]]).toEqual([1, 4]);
  });
});
