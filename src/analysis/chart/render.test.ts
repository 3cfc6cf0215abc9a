import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../../data/bar.js";
import { exchangeZone } from "../../data/calendar/zone.js";
import { renderChartPng, renderChartPngAsync, renderChartSvg } from "./render.js";
import type { ChartSpec } from "./types.js";

/** Weekday daily bars from 2025-01-02, a deterministic wave with a trend. */
function dailyBars(n: number): Bar[] {
  const bars: Bar[] = [];
  let day = Date.UTC(2025, 0, 2);
  let prev = 100;
  for (let i = 0; i < n; i++) {
    while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
    const t = exchangeZone.startOfDay(new Date(day).toISOString().slice(0, 10));
    const close = 100 + i * 0.05 + 8 * Math.sin(i / 9) + 2 * Math.sin(i * 1.7);
    const open = prev;
    bars.push({ t, open, high: Math.max(open, close) + 1 + (i % 3), low: Math.min(open, close) - 1 - (i % 2), close, volume: 1_000_000 + ((i * 7919) % 500_000) });
    prev = close;
    day += 86_400_000;
  }
  return bars;
}

/** 1Min bars of one session (2026-03-10, New York 09:30–16:00 = 13:30–20:00 UTC). */
function minuteBars(): Bar[] {
  const start = Date.UTC(2026, 2, 10, 13, 30);
  return Array.from({ length: 390 }, (_, i) => {
    const open = 50 + Math.sin(i / 20);
    const close = 50 + Math.sin((i + 1) / 20);
    return { t: start + i * 60_000, open, high: Math.max(open, close) + 0.05, low: Math.min(open, close) - 0.05, close, volume: 1000 + i };
  });
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const count = (s: string, needle: string) => s.split(needle).length - 1;

function expectInvalid(spec: ChartSpec, pattern: RegExp): void {
  try {
    renderChartSvg(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(ArgusError);
    expect((err as ArgusError).code).toBe("INVALID_INPUT");
    expect((err as ArgusError).message).toMatch(pattern);
    return;
  }
  throw new Error("expected an INVALID_INPUT ArgusError");
}

const base = (bars: Bar[]): ChartSpec => ({ title: "TEST.DEMO 1Day", bars, timeframe: "1Day" });

describe("renderChartPng", () => {
  it("returns a PNG of the default size", () => {
    const r = renderChartPng(base(dailyBars(120)));
    expect(pngSize(r.png)).toEqual({ width: 1000, height: 600 });
    expect([r.width, r.height]).toEqual([1000, 600]);
    expect(r.svg.startsWith("<svg ")).toBe(true);
  });

  it("returns the requested size, clamped to sane limits", () => {
    expect(pngSize(renderChartPng({ ...base(dailyBars(50)), width: 640, height: 360 }).png)).toEqual({ width: 640, height: 360 });
    expect(pngSize(renderChartPng({ ...base(dailyBars(50)), width: 10, height: 5 }).png)).toEqual({ width: 300, height: 200 });
    expect(renderChartSvg({ ...base(dailyBars(5)), width: 1e9, height: Number.NaN })).toMatch(/^<svg [^>]*width="2400" height="600"/);
  });

  it("draws text with a font found on this machine (or reports that none was found)", () => {
    const r = renderChartPng(base(dailyBars(30)));
    if (r.font === null) console.warn("no font file found: chart text is not drawn on this machine");
    else expect(r.font.length).toBeGreaterThan(0);
  });

  it("still renders when no font at all is available (text is skipped, nothing throws)", () => {
    const svg = renderChartSvg({ ...base(dailyBars(30)), subtitle: "no fonts", watermark: "SYNTHETIC" });
    const image = new Resvg(svg, { font: { loadSystemFonts: false }, background: "white", logLevel: "off" }).render();
    expect(pngSize(image.asPng())).toEqual({ width: 1000, height: 600 });
  });

  it("renders 2,000 bars", () => {
    const bars = dailyBars(2000);
    const started = performance.now();
    const r = renderChartPng({ ...base(bars), overlays: [{ name: "SMA 50", values: bars.map((b) => b.close) }], watermark: "SYNTHETIC" });
    const ms = performance.now() - started;
    expect(pngSize(r.png)).toEqual({ width: 1000, height: 600 });
    expect(count(r.svg, 'class="candle"')).toBe(2000);
    if (ms > 2000) console.warn(`2,000-bar chart took ${ms.toFixed(0)} ms`);
  });

  it("renders asynchronously too", async () => {
    const r = await renderChartPngAsync({ ...base(dailyBars(40)), width: 500, height: 300 });
    expect(pngSize(r.png)).toEqual({ width: 500, height: 300 });
  });
});

describe("renderChartSvg", () => {
  it("escapes the title, subtitle, names, labels and watermark", () => {
    const svg = renderChartSvg({
      ...base(dailyBars(40)),
      title: `A <b>&"x"'</b>\u0001`,
      subtitle: "<script>alert(1)</script>",
      overlays: [{ name: "<i>SMA</i>", values: new Float64Array(40).fill(100) }],
      markers: [{ index: 3, kind: "BUY", label: "<go>" }],
      watermark: "<SYN>",
    });
    expect(svg).toContain("A &lt;b&gt;&amp;&quot;x&quot;&#39;&lt;/b&gt;");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain("&lt;i&gt;SMA&lt;/i&gt;");
    expect(svg).toContain("&lt;go&gt;");
    expect(svg).toContain("&lt;SYN&gt;");
    expect(svg).not.toMatch(/<(b|i|script|go|SYN)>/);
    expect(svg).not.toContain("\u0001");
    // The document still parses.
    expect(() => new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: "off" })).not.toThrow();
  });

  it.each([1, 60, 400, 1200])("draws one candle element per bar (%i bars)", (n) => {
    const svg = renderChartSvg(base(dailyBars(n)));
    expect(count(svg, 'class="candle"')).toBe(n);
  });

  it("colours candles by direction: green up, red down", () => {
    const bars = dailyBars(60);
    const svg = renderChartSvg(base(bars));
    const up = bars.filter((b) => b.close >= b.open).length;
    const groupUp = /<g class="candles up"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? "";
    const groupDown = /<g class="candles down"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? "";
    expect(count(groupUp, 'class="candle"')).toBe(up);
    expect(count(groupDown, 'class="candle"')).toBe(60 - up);
  });

  it("draws BUY and SELL markers with their labels", () => {
    const svg = renderChartSvg({
      ...base(dailyBars(60)),
      markers: [
        { index: 5, kind: "BUY", label: "entry" },
        { index: 20, kind: "SELL", label: "exit" },
        { index: 40, kind: "BUY" },
      ],
    });
    expect(count(svg, 'class="marker buy"')).toBe(2);
    expect(count(svg, 'class="marker sell"')).toBe(1);
    expect(svg).toContain(">entry</text>");
    expect(svg).toContain(">exit</text>");
  });

  it("breaks overlay lines at NaN into separate path segments", () => {
    const bars = dailyBars(12);
    const values = [NaN, 100, 101, 102, NaN, NaN, 103, 104, NaN, 105, 106, 107];
    const svg = renderChartSvg({ ...base(bars), overlays: [{ name: "gappy", values }] });
    const d = /<path class="overlay" d="([^"]+)"/.exec(svg)?.[1] ?? "";
    expect(d.match(/M/g)?.length).toBe(3);
    expect(d.match(/L/g)?.length).toBe(2 + 1 + 2);
  });

  it("draws a lone value between gaps as a dot", () => {
    const svg = renderChartSvg({ ...base(dailyBars(5)), overlays: [{ name: "dot", values: [NaN, 100, NaN, NaN, NaN] }] });
    expect(/<path class="overlay" d="M[\d.]+ [\d.]+l0 0"/.test(svg)).toBe(true);
  });

  it("puts lower-pane overlays into grouped panes with guides", () => {
    const bars = dailyBars(100);
    const rsi = bars.map((_, i) => (i < 14 ? NaN : 50 + 30 * Math.sin(i / 6)));
    const svg = renderChartSvg({
      ...base(bars),
      overlays: [
        { name: "RSI 14", values: rsi, group: "RSI" },
        { name: "MACD", values: rsi.map((v) => (v - 50) / 10), group: "MACD" },
        { name: "Hist", values: rsi.map((v) => (v - 50) / 20), group: "MACD", style: "histogram" },
      ],
      lowerPanes: [{ group: "RSI", title: "RSI 14", min: 0, max: 100, guides: [30, 70], band: [30, 70] }],
    });
    expect(count(svg, 'class="pane lower"')).toBe(2);
    expect(/<path class="guide" d="([^"]+)"/.exec(svg)?.[1]?.match(/M/g)?.length).toBe(2);
    expect(count(svg, 'class="histogram"')).toBeGreaterThanOrEqual(1);
    expect(svg).toContain(">RSI 14</text>");
    expect(svg).toContain(">70</text>"); // 30 gives way to the last-value tag (28.65) next to it
  });

  it("draws volume unless turned off", () => {
    expect(renderChartSvg(base(dailyBars(30)))).toContain('class="volume"');
    expect(renderChartSvg({ ...base(dailyBars(30)), volume: false })).not.toContain('class="volume"');
  });

  it("labels the time axis with dates for daily bars and New York times for intraday bars", () => {
    const daily = renderChartSvg(base(dailyBars(250)));
    expect(daily).toMatch(/>2026<\/text>|>Feb<\/text>/);
    const intraday = renderChartSvg({ title: "1Min", bars: minuteBars(), timeframe: "1Min" });
    expect(intraday).toContain(">Mar 10</text>");
    expect(intraday).toContain(">12:00</text>"); // 16:00 UTC
    expect(intraday).not.toContain(">16:00</text>");
    expect(intraday).toContain(">ET</text>");
  });

  it("draws the watermark faintly", () => {
    expect(renderChartSvg({ ...base(dailyBars(30)), watermark: "SYNTHETIC" })).toMatch(/class="watermark"[^>]*fill-opacity="0.06"[^>]*>SYNTHETIC</);
  });
});

describe("renderChartSvg input errors", () => {
  it("rejects empty bars with a clear INVALID_INPUT", () => {
    expectInvalid(base([]), /no bars/);
  });

  it("rejects misaligned overlays, bad markers, unsafe colours and bad bars", () => {
    const bars = dailyBars(10);
    expectInvalid({ ...base(bars), overlays: [{ name: "short", values: [1, 2, 3] }] }, /3 values for 10 bars/);
    expectInvalid({ ...base(bars), markers: [{ index: 10, kind: "BUY" }] }, /marker 0 index/);
    expectInvalid({ ...base(bars), markers: [{ index: 1.5, kind: "SELL" }] }, /marker 0 index/);
    expectInvalid({ ...base(bars), overlays: [{ name: "x", values: new Float64Array(10), color: 'red" onload="alert(1)' }] }, /color/);
    expectInvalid({ ...base(bars), lowerPanes: [{ group: "RSI" }] }, /no overlay with that group/);
    expectInvalid({ ...base([bars[1]!, bars[0]!]) }, /ascending/);
    expectInvalid({ ...base([{ ...bars[0]!, close: Number.NaN }]) }, /non-finite/);
    expectInvalid({ ...base(bars), timeframe: "2Day" as never }, /timeframe/);
  });
});
