import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../bar.js";
import { NyseCalendar } from "../calendar/nyse-calendar.js";
import { parseBarsCsv } from "../csv/parse-bars.js";
import type { Timeframe } from "../timeframes.js";
import { assessQuality, type QualityInput, type QualityIssue } from "./quality.js";

const calendar = new NyseCalendar();
const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/bars/", import.meta.url));
const haveFixtures = existsSync(FIXTURES);

/** A deterministic wiggle so returns have a non-zero spread, like real prices. */
function bar(t: number, i: number, scale = 1): Bar {
  const c = 100 * Math.exp(0.01 * Math.sin(i * 1.7) + 0.002 * Math.cos(i * 0.3)) * scale;
  return { t, open: c * 0.998, high: c * 1.01, low: c * 0.99, close: c, volume: 1000 };
}

function daily(from: string, to: string, skip: string[] = []): Bar[] {
  return calendar
    .tradingDays(from, to)
    .filter((d) => !skip.includes(d))
    .map((d, i) => bar(calendar.startOfDay(d), i));
}

/** 1Min bars for the regular session of each date, minus the listed HH:MM starts (New York). */
function minutes(dates: string[], skip: string[] = []): Bar[] {
  const out: Bar[] = [];
  for (const date of dates) {
    const s = calendar.session(date)!;
    for (let t = s.open; t < s.close; t += 60_000) {
      const hhmm = new Date(t).toLocaleTimeString("en-GB", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit" });
      if (!skip.includes(`${date} ${hhmm}`)) out.push(bar(t, out.length));
    }
  }
  return out;
}

const FRESH_NOW = Date.parse("2024-04-01T15:00:00Z"); // Monday 11:00 ET; last closed session 2024-03-28
function assess(bars: Bar[], extra: Partial<QualityInput> = {}, timeframe: Timeframe = "1Day") {
  return assessQuality({ symbol: "TEST", timeframe, bars, now: FRESH_NOW, calendar, outlierZ: 12, staleAfterSessions: 2, ...extra });
}

describe("daily series", () => {
  it("a clean series over MLK Day, Presidents Day and Good Friday has no issues", () => {
    const bars = daily("2024-01-02", "2024-03-28");
    const r = assess(bars);
    expect(r).toMatchObject({ symbol: "TEST", timeframe: "1Day", bars: bars.length, first: "2024-01-02", last: "2024-03-28", ok: true, issues: [] });
    expect(r.gaps).toEqual({ missingSessions: 0, missingBars: 0, rangeCount: 0, ranges: [] });
    expect(Object.values(r.summary).every((n) => n === 0)).toBe(true);
    expect(Object.keys(r.summary)).toHaveLength(9);
  });

  it("flags a missing trading day and merges missing days across a holiday", () => {
    const r = assess(daily("2024-01-02", "2024-03-28", ["2024-01-10", "2024-01-12", "2024-01-16"]));
    expect(r.gaps.missingSessions).toBe(3);
    expect(r.gaps.ranges).toEqual([
      { from: "2024-01-10", to: "2024-01-10", sessions: 1, bars: 1 },
      // Friday and Tuesday around the MLK Day holiday are one run of 2 sessions.
      { from: "2024-01-12", to: "2024-01-16", sessions: 2, bars: 2 },
    ]);
    expect(r.issues.filter((i) => i.code === "GAP")).toEqual([
      { code: "GAP", severity: "warning", at: "2024-01-10", detail: "no bars for 1 trading session (2024-01-10)" },
      { code: "GAP", severity: "warning", at: "2024-01-12", detail: "no bars for 2 trading sessions (2024-01-12 to 2024-01-16)" },
    ]);
    expect(r.summary.GAP).toBe(2);
    expect(r.ok).toBe(true); // gaps are warnings
  });

  it("reports duplicates and broken bars as errors", () => {
    const bars = daily("2024-01-02", "2024-02-29");
    bars.splice(5, 0, { ...bars[5]! }); // duplicate of 2024-01-09
    bars[10] = { ...bars[10]!, high: 90, low: 95 };
    bars[11] = { ...bars[11]!, open: bars[11]!.high + 1 };
    bars[12] = { ...bars[12]!, close: 0 };
    bars[13] = { ...bars[13]!, volume: -3 };
    const r = assess(bars);
    expect(r.ok).toBe(false);
    expect(r.bars).toBe(bars.length);
    expect(r.summary).toMatchObject({ DUPLICATE_TIMESTAMP: 1, HIGH_BELOW_LOW: 1, OHLC_INCONSISTENT: 1, NON_POSITIVE_PRICE: 1, NEGATIVE_VOLUME: 1 });
    expect(r.issues.find((i) => i.code === "DUPLICATE_TIMESTAMP")).toEqual({ code: "DUPLICATE_TIMESTAMP", severity: "error", at: "2024-01-09", detail: "two bars start at 2024-01-09" });
    expect(r.issues.find((i) => i.code === "HIGH_BELOW_LOW")?.detail).toBe("high 90 is below low 95");
    expect(r.issues.find((i) => i.code === "OHLC_INCONSISTENT")?.detail).toMatch(/^open .* outside the bar's range/);
  });

  it("flags a 7-for-1 split left unadjusted, and nothing in the ordinary wiggle", () => {
    const bars = daily("2024-01-02", "2024-06-28").map((b) => (b.t >= calendar.startOfDay("2024-04-15") ? { ...b, open: b.open / 7, high: b.high / 7, low: b.low / 7, close: b.close / 7 } : b));
    const r = assess(bars, { now: Date.parse("2024-07-01T15:00:00Z") });
    const outliers = r.issues.filter((i) => i.code === "RETURN_OUTLIER");
    expect(outliers).toHaveLength(1);
    expect(outliers[0]).toMatchObject({ severity: "warning", at: "2024-04-15" });
    expect(outliers[0]!.detail).toContain("near what an unadjusted 7-for-1 split would produce");
    expect(assess(bars, { now: Date.parse("2024-07-01T15:00:00Z"), outlierZ: 1e6 }).summary.RETURN_OUTLIER).toBe(0);
  });

  it("counts closed sessions (not calendar days) for a stale last bar", () => {
    const bars = daily("2024-01-02", "2024-03-28"); // Thursday before Good Friday
    // Tue 2024-04-02 15:00 ET: only Monday 04-01 has closed since.
    expect(assess(bars, { now: Date.parse("2024-04-02T19:00:00Z") }).summary.STALE_LAST_BAR).toBe(0);
    // Tue after the close: 2 sessions, not more than 2.
    expect(assess(bars, { now: Date.parse("2024-04-02T20:30:00Z") }).summary.STALE_LAST_BAR).toBe(0);
    const stale = assess(bars, { now: Date.parse("2024-04-03T20:30:00Z") });
    expect(stale.issues.find((i) => i.code === "STALE_LAST_BAR")).toEqual({
      code: "STALE_LAST_BAR",
      severity: "warning",
      at: "2024-03-28",
      detail: "the last bar is from 2024-03-28; 3 regular sessions have closed since (more than 2 allowed)",
    });
    expect(stale.ok).toBe(true);
    expect(assess(bars, { now: Date.parse("2024-04-03T20:30:00Z"), staleAfterSessions: 3 }).summary.STALE_LAST_BAR).toBe(0);
  });

  it("a daily bar on a weekend or holiday is an error (usually a time-zone shift)", () => {
    const bars = daily("2024-01-02", "2024-01-31");
    bars.push({ ...bars[0]!, t: calendar.startOfDay("2024-01-06") }, { ...bars[0]!, t: calendar.startOfDay("2024-01-15") });
    const r = assess(bars.sort((a, b) => a.t - b.t), { now: Date.parse("2024-02-01T15:00:00Z") });
    expect(r.ok).toBe(false);
    expect(r.issues.filter((i) => i.code === "OFF_SESSION_BAR").map((i) => [i.at, i.severity, i.detail])).toEqual([
      ["2024-01-06", "error", "bar on 2024-01-06, when the exchange was closed (Weekend)"],
      ["2024-01-15", "error", expect.stringMatching(/^bar on 2024-01-15, when the exchange was closed \(.*Martin Luther King/)],
    ]);
    expect(r.gaps.missingSessions).toBe(0);
  });

  it("caps listed issues but keeps exact counts", () => {
    const bars = daily("2023-01-03", "2023-12-29").flatMap((b) => [b, { ...b }]);
    const r = assess(bars, { now: Date.parse("2024-01-02T15:00:00Z") });
    expect(r.summary.DUPLICATE_TIMESTAMP).toBe(250);
    expect(r.issues.filter((i) => i.code === "DUPLICATE_TIMESTAMP")).toHaveLength(100);
  });

  it("handles no bars and rejects bad thresholds", () => {
    expect(assess([])).toMatchObject({ bars: 0, first: null, last: null, ok: false, issues: [] });
    expect(() => assess([], { outlierZ: 0 })).toThrow(ArgusError);
    expect(() => assess([], { staleAfterSessions: -1 })).toThrow(/staleAfterSessions/);
  });
});

describe("intraday series", () => {
  it("finds missing minutes and whole missing sessions, not pre-market bars", () => {
    const bars = minutes(["2024-03-12", "2024-03-14"], ["2024-03-12 10:00", "2024-03-12 10:01", "2024-03-12 10:02", "2024-03-14 14:00"]);
    const pre = bar(Date.parse("2024-03-12T12:00:00Z"), 0); // 08:00 EDT, pre-market
    const saturday = bar(Date.parse("2024-03-16T15:00:00Z"), 0);
    const r = assess([pre, ...bars, saturday].sort((a, b) => a.t - b.t), { now: Date.parse("2024-03-18T15:00:00Z") }, "1Min");
    expect(r.first).toBe("2024-03-12T08:00:00-04:00");
    expect(r.gaps.ranges).toEqual([
      { from: "2024-03-12T10:00:00-04:00", to: "2024-03-12T10:02:00-04:00", sessions: 0, bars: 3 },
      { from: "2024-03-13", to: "2024-03-13", sessions: 1, bars: 390 },
      { from: "2024-03-14T14:00:00-04:00", to: "2024-03-14T14:00:00-04:00", sessions: 0, bars: 1 },
    ]);
    expect(r.gaps).toMatchObject({ missingSessions: 1, missingBars: 394, rangeCount: 3, daysWithGaps: 3 });
    expect(r.gaps.days).toEqual([
      { date: "2024-03-12", missing: 3 },
      { date: "2024-03-13", missing: 390 },
      { date: "2024-03-14", missing: 1 },
    ]);
    expect(r.issues.filter((i) => i.code === "OFF_SESSION_BAR").map((i) => [i.at, i.severity])).toEqual([
      ["2024-03-12T08:00:00-04:00", "info"],
      ["2024-03-16T11:00:00-04:00", "warning"],
    ]);
    expect(r.issues.filter((i) => i.code === "GAP").map((i) => i.severity)).toEqual(["info", "warning", "info"]);
    expect(r.ok).toBe(true);
  });

  it("an early-close day (13:00) needs only 210 minutes", () => {
    const r = assess(minutes(["2024-11-29"]), { now: Date.parse("2024-11-29T19:00:00Z") }, "1Min");
    expect(r.bars).toBe(210);
    expect(r.gaps.missingBars).toBe(0);
  });

  it("hourly bars on either a 09:00 or a 09:30 grid are complete", () => {
    const s = calendar.session("2024-03-12")!;
    const half = Array.from({ length: 7 }, (_, i) => bar(s.open + i * 3_600_000, i)); // 09:30 … 15:30
    const whole = Array.from({ length: 7 }, (_, i) => bar(s.open - 1_800_000 + i * 3_600_000, i)); // 09:00 … 15:00
    for (const bars of [half, whole]) {
      const r = assess(bars, { now: Date.parse("2024-03-13T15:00:00Z") }, "1Hour");
      expect(r.gaps.missingBars).toBe(0);
      expect(r.summary.OFF_SESSION_BAR).toBe(0);
    }
  });

  it("does not score overnight moves as minute outliers", () => {
    const bars = minutes(["2024-03-12", "2024-03-13"]).map((b) => (b.t >= calendar.session("2024-03-13")!.open ? { ...b, open: b.open * 1.2, high: b.high * 1.2, low: b.low * 1.2, close: b.close * 1.2 } : b));
    expect(assess(bars, { now: Date.parse("2024-03-14T15:00:00Z") }, "1Min").summary.RETURN_OUTLIER).toBe(0);
  });
});

describe.skipIf(!haveFixtures)(`real fixtures (${FIXTURES}; skipped when ../shared/fixtures is absent)`, () => {
  const load = (rel: string) => parseBarsCsv(readFileSync(FIXTURES + rel, "utf8"), {}, calendar);

  it("AAPL minute bars: two real missing minutes on 2019-02-14, all bars in session", () => {
    const parsed = load("minute/AAPL_1min.csv");
    // Tue 2019-02-19 after the close: one session since (Mon 02-18 was Presidents Day).
    const r = assessQuality({ symbol: "AAPL", timeframe: parsed.timeframe, bars: parsed.bars, now: Date.parse("2019-02-19T22:00:00Z"), calendar, outlierZ: 12, staleAfterSessions: 2 });
    expect(r.bars).toBe(1948);
    expect(r.gaps.missingBars).toBeGreaterThan(0);
    expect(r.gaps.missingBars).toBeLessThan(10);
    // 14:31 and 14:36 ET are missing from the vendor file (the rows stamped 14:32 and 14:37).
    expect(r.gaps.ranges).toEqual([
      { from: "2019-02-14T14:31:00-05:00", to: "2019-02-14T14:31:00-05:00", sessions: 0, bars: 1 },
      { from: "2019-02-14T14:36:00-05:00", to: "2019-02-14T14:36:00-05:00", sessions: 0, bars: 1 },
    ]);
    expect(r.gaps.missingSessions).toBe(0);
    expect(r.summary.OFF_SESSION_BAR).toBe(0);
    expect(r.summary.STALE_LAST_BAR).toBe(0);
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("AAPL daily bars: 20 years with no session missing against the computed calendar", () => {
    const parsed = load("daily/AAPL.csv");
    const r = assessQuality({ symbol: "AAPL", timeframe: "1Day", bars: parsed.bars, now: Date.parse("2020-12-14T22:00:00Z"), calendar, outlierZ: 12, staleAfterSessions: 2 });
    // Includes the 2001-09-11..14, 2004-06-11, 2007-01-02, 2012-10-29/30 and 2018-12-05 closures.
    expect(r.gaps).toEqual({ missingSessions: 0, missingBars: 0, rangeCount: 0, ranges: [] });
    expect(r.summary.OFF_SESSION_BAR).toBe(0);
    expect(r.ok).toBe(true);
    // The one outlier is real: Apple's profit warning, 2000-09-29 (close −52% in a day).
    expect(r.issues.map((i) => [i.code, i.at])).toEqual([["RETURN_OUTLIER", "2000-09-29"]]);
    expect(assessQuality({ symbol: "AAPL", timeframe: "1Day", bars: parsed.bars, now: Date.parse("2021-01-04T22:00:00Z"), calendar }).summary.STALE_LAST_BAR).toBe(1);
  });

  it("undoing Yahoo's split adjustment makes AAPL's 2014 7-for-1 and 2020 4-for-1 splits stand out", () => {
    const parsed = load("daily/AAPL.csv");
    const factor = (t: number) => (t < calendar.startOfDay("2014-06-09") ? 28 : t < calendar.startOfDay("2020-08-31") ? 4 : 1);
    const raw = parsed.bars.map((b) => ({ ...b, open: b.open * factor(b.t), high: b.high * factor(b.t), low: b.low * factor(b.t), close: b.close * factor(b.t) }));
    const r = assessQuality({ symbol: "AAPL", timeframe: "1Day", bars: raw, now: Date.parse("2020-12-14T22:00:00Z"), calendar });
    const outliers = r.issues.filter((i) => i.code === "RETURN_OUTLIER");
    expect(outliers.map((i) => i.at)).toEqual(["2000-09-29", "2014-06-09", "2020-08-31"]);
    const [crash, seven, four] = outliers as [QualityIssue, QualityIssue, QualityIssue];
    // Adj Close (left untouched) separates corporate actions from the real 2000 crash.
    expect(crash.detail).toContain("Adj Close moved as much (-51.9%), which points to a real market move");
    expect(seven.detail).toMatch(/Adj Close moved only .*missing a corporate-action \(split\) adjustment/);
    expect(seven.detail).toContain("unadjusted 7-for-1 split");
    expect(four.detail).toContain("unadjusted 4-for-1 split");
  });
});
