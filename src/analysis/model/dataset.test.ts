import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dayNumber, isoDate, isWeekend } from "../../data/calendar/dates.js";
import { buildDataset, loadDailyCsvDir, splitDataset, type SymbolSeries } from "./dataset.js";

/** Weekday sessions from..to with a deterministic wiggly price. */
function series(symbol: string, from: string, to: string, phase = 0): SymbolSeries {
  const days: number[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) if (!isWeekend(d)) days.push(d);
  const n = days.length;
  const close = Float64Array.from(days, (_, i) => 100 * Math.exp(0.0002 * i + 0.05 * Math.sin(i / 3 + phase)));
  return {
    symbol,
    day: Int32Array.from(days),
    open: close.map((c, i) => c * (1 + 0.003 * Math.cos(i))),
    high: close.map((c) => c * 1.02),
    low: close.map((c) => c * 0.98),
    close,
    volume: Float64Array.from(days, (_, i) => 1e6 * (1.5 + Math.sin(i / 5))),
    adjClose: close.slice(),
  };
}

describe("buildDataset / splitDataset", () => {
  const all = [series("AAA", "2012-01-02", "2019-06-28"), series("BBB", "2013-06-03", "2019-06-28", 1)];
  const h = 5;
  const ds = buildDataset(all, h);
  const splits = splitDataset(ds, { trainEnd: "2014-12-31", validationEnd: "2017-12-31", testEnd: "2020-12-31" });

  it("labels a row 1 exactly when the adjusted close h sessions later is higher", () => {
    const s = all[0]!;
    for (let r = 0; r < 50; r++) {
      const i = s.day.indexOf(ds.day[r]!);
      expect(ds.labelDay[r]).toBe(s.day[i + h]);
      expect(ds.y[r]).toBe(s.adjClose[i + h]! > s.adjClose[i]! ? 1 : 0);
    }
  });

  it("keeps every row's label inside its split and purges exactly h rows per symbol at each boundary", () => {
    const ends = { train: "2014-12-31", validation: "2017-12-31", test: "2020-12-31" } as const;
    for (const name of ["train", "validation", "test"] as const) {
      const part = splits[name];
      for (let r = 0; r < part.rows; r++) expect(part.labelDay[r]! <= dayNumber(ends[name])).toBe(true);
    }
    expect(splits.info.train.purged).toBe(2 * h);
    expect(splits.info.validation.purged).toBe(2 * h);
    expect(splits.info.test.purged).toBe(0);
    expect(splits.info.train.rows + splits.info.validation.rows + splits.info.test.rows + 4 * h).toBe(ds.rows);
    expect(splits.info.validation.firstRow).toBe("2015-01-01");
    // The last kept train row is h sessions before the end of 2014 (weekdays only here).
    expect(splits.info.train.lastRow).toBe(isoDate(dayNumber("2014-12-31") - 7));
  });

  it("rejects boundaries out of order", () => {
    expect(() => splitDataset(ds, { trainEnd: "2016-01-01", validationEnd: "2015-01-01", testEnd: "2020-01-01" })).toThrow(/must increase/);
  });
});

describe("loadDailyCsvDir", () => {
  const dir = mkdtempSync(join(tmpdir(), "argus-train-data-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads Yahoo CSVs sorted by symbol, skips files without an adjusted close and hashes what it used", () => {
    writeFileSync(join(dir, "zzz.csv"), "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,10.5,10.4,1000\n2020-01-03,10.5,11,10,10.8,10.7,1200\n");
    writeFileSync(join(dir, "AAA.csv"), "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,1.1,0.9,1.05,1.0,10\n");
    writeFileSync(join(dir, "IDX.csv"), ",date,open,high,low,close,volume\n0,2020-01-02,1,1.1,0.9,1.05,10\n");
    const loaded = loadDailyCsvDir(dir);
    expect(loaded.series.map((s) => s.symbol)).toEqual(["AAA", "ZZZ"]);
    expect(loaded.skipped).toHaveLength(1);
    expect(loaded.skipped[0]!.file).toBe("IDX.csv");
    expect(isoDate(loaded.series[1]!.day[1]!)).toBe("2020-01-03");
    expect(loaded.series[1]!.adjClose[1]).toBe(10.7);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loadDailyCsvDir(dir).sha256).toBe(loaded.sha256);
  });

  it("fails clearly on a missing directory or a broken file", () => {
    expect(() => loadDailyCsvDir(join(dir, "nope"))).toThrow(expect.objectContaining({ code: "FILE_NOT_FOUND" }));
    writeFileSync(join(dir, "BAD.csv"), "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,0.5,0.9,1.05,1.0,10\n");
    expect(() => loadDailyCsvDir(dir)).toThrow(expect.objectContaining({ code: "CSV_MALFORMED" }));
  });
});
