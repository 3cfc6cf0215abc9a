import { describe, expect, it } from "vitest";
import type { Bar } from "../../data/bar.js";
import { exchangeZone } from "../../data/calendar/zone.js";
import { timeTicks } from "./time-axis.js";

const bar = (t: number): Bar => ({ t, open: 1, high: 1, low: 1, close: 1, volume: 0 });

function weekdays(from: string, n: number): Bar[] {
  const out: Bar[] = [];
  let d = Date.parse(`${from}T00:00:00Z`);
  while (out.length < n) {
    if (![0, 6].includes(new Date(d).getUTCDay())) out.push(bar(exchangeZone.startOfDay(new Date(d).toISOString().slice(0, 10))));
    d += 86_400_000;
  }
  return out;
}

function ticks(bars: Bar[], tf: Parameters<typeof timeTicks>[1], width: number) {
  const slot = width / bars.length;
  return timeTicks(bars, tf, (i) => (i + 0.5) * slot, width, 11);
}

describe("timeTicks", () => {
  it("labels a year of daily bars with months and the new year, spaced apart", () => {
    const t = ticks(weekdays("2025-06-02", 260), "1Day", 900);
    const labels = t.map((x) => x.label);
    expect(labels).toContain("2026");
    expect(labels).toContain("Jul");
    expect(labels).not.toContain("Jun"); // the first bar's month started before the range
    expect(t.find((x) => x.label === "2026")?.major).toBe(true);
    for (let i = 1; i < t.length; i++) expect(t[i]!.index).toBeGreaterThan(t[i - 1]!.index);
  });

  it("uses years only for a decade", () => {
    const labels = ticks(weekdays("2014-01-06", 2600), "1Day", 900).map((x) => x.label);
    expect(labels.length).toBeGreaterThan(4);
    expect(labels.every((l) => /^\d{4}$/.test(l) || /^[A-Z][a-z]{2}$/.test(l))).toBe(true);
    expect(labels).toContain("2020");
  });

  it("labels intraday bars with New York times and the date at each session start", () => {
    // Two sessions of 5Min bars around the DST change (2026-03-06 EST, 2026-03-09 EDT).
    const bars: Bar[] = [];
    for (const [date, utcOpen] of [["2026-03-06", Date.UTC(2026, 2, 6, 14, 30)], ["2026-03-09", Date.UTC(2026, 2, 9, 13, 30)]] as const) {
      expect(exchangeZone.dateOf(utcOpen)).toBe(date);
      for (let i = 0; i < 78; i++) bars.push(bar(utcOpen + i * 5 * 60_000));
    }
    const t = ticks(bars, "5Min", 1200);
    const labels = t.map((x) => x.label);
    expect(labels[0]).toBe("Mar 6");
    expect(labels).toContain("Mar 9");
    expect(t.find((x) => x.label === "Mar 9")?.index).toBe(78);
    expect(labels).toContain("12:00");
    expect(labels.some((l) => l.startsWith("09:") || l.startsWith("16:") || l.startsWith("17:"))).toBe(false);
  });

  it("returns nothing for no bars and one tick for one bar", () => {
    expect(timeTicks([], "1Day", (i) => i, 100, 11)).toEqual([]);
    expect(ticks([bar(Date.UTC(2026, 0, 5, 5))], "1Day", 500).map((x) => x.label)).toEqual(["Jan 5"]);
  });
});
