import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import { NyseCalendar } from "../calendar/nyse-calendar.js";
import { assertImportable, csvImportOptionsSchema, parseBarsCsv, type CsvParseResult } from "./parse-bars.js";

const calendar = new NyseCalendar();
// Real data lives beside the project (DESIGN §9); it is never copied in.
const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/bars/", import.meta.url));
const haveFixtures = existsSync(FIXTURES);
const fixture = (rel: string) => readFileSync(FIXTURES + rel, "utf8");

function thrown(fn: () => unknown): ArgusError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgusError);
    return e as ArgusError;
  }
  throw new Error("expected an ArgusError");
}

const dayOf = (t: number) => calendar.dateAt(t);

describe.skipIf(!haveFixtures)(`real fixtures (${FIXTURES}; skipped when ../shared/fixtures is absent)`, () => {
  it("reads Yahoo daily AAPL: 5,271 bars from 2000-01-03 with Adj Close kept", () => {
    const r = parseBarsCsv(fixture("daily/AAPL.csv"), {}, calendar);
    expect(r.errors).toEqual([]);
    expect(r.layout).toBe("yahoo");
    expect(r.timeframe).toBe("1Day");
    expect(r.rowsRead).toBe(5271);
    expect(r.bars).toHaveLength(5271);
    expect(r.bars[0]).toEqual({
      t: calendar.startOfDay("2000-01-03"),
      open: 0.936384,
      high: 1.004464,
      low: 0.907924,
      close: 0.999442,
      adjClose: 0.855168,
      volume: 535796800,
    });
    expect(r.bars[0]!.t).toBe(Date.parse("2000-01-03T05:00:00Z"));
    expect(dayOf(r.bars.at(-1)!.t)).toBe("2020-12-11");
    expect(r.bars.at(-1)!.adjClose).toBe(122.410004);
    expect(r.firstT).toBe(r.bars[0]!.t);
    expect(r.lastT).toBe(r.bars.at(-1)!.t);
    expect(() => assertImportable(r, { fileName: "AAPL.csv" })).not.toThrow();
  });

  it("reads the indexed SPY layout (leading unnamed column, volume like 4006500.0)", () => {
    const r = parseBarsCsv(fixture("daily/SPY.csv"), {}, calendar);
    expect(r.errors).toEqual([]);
    expect(r.layout).toBe("indexed");
    expect(r.timeframe).toBe("1Day");
    expect(r.bars).toHaveLength(5241);
    expect(dayOf(r.bars[0]!.t)).toBe("1999-11-01");
    expect(r.bars[0]).toEqual({ t: calendar.startOfDay("1999-11-01"), open: 136.5, high: 137, low: 135.5625, close: 135.5625, volume: 4006500 });
    expect(dayOf(r.bars.at(-1)!.t)).toBe("2020-08-28");
  });

  it("reads newest-first, end-labelled minute bars in US/Eastern", () => {
    const r = parseBarsCsv(fixture("minute/AAPL_1min.csv"), {}, calendar);
    expect(r.errors).toEqual([]);
    expect(r.layout).toBe("minute");
    expect(r.timeframe).toBe("1Min");
    expect(r.timeLabel).toBe("end");
    expect(r.bars).toHaveLength(1948);
    const first = r.bars[0]!;
    // The row stamped 2019-02-11 09:31:00 is the 09:30–09:31 bar.
    expect(first.t).toBe(Date.parse("2019-02-11T14:30:00Z"));
    expect(first).toMatchObject({ open: 171.14, high: 171.2, low: 170.7, close: 170.97, volume: 619925 });
    // Last: the row stamped 2019-02-15 16:00:00 is the 15:59–16:00 bar.
    expect(r.bars.at(-1)!.t).toBe(Date.parse("2019-02-15T20:59:00Z"));
    for (let i = 1; i < r.bars.length; i++) expect(r.bars[i]!.t).toBeGreaterThan(r.bars[i - 1]!.t);
    for (const b of r.bars) expect(calendar.isMarketOpen(b.t)).toBe(true);
  });

  it("honours an explicit start label on the same file (bars shift one minute later)", () => {
    const r = parseBarsCsv(fixture("minute/AAPL_1min.csv"), { timeLabel: "start" }, calendar);
    expect(r.bars[0]!.t).toBe(Date.parse("2019-02-11T14:31:00Z"));
  });
});

describe("bad rows", () => {
  const csv = [
    "Date,Open,High,Low,Close,Volume", // line 1
    "2024-01-02,10,11,9,10.5,1000", // 2
    "2024-01-03,10,10.2,11.0,10.1,1000", // 3: high < low
    "2024-01-04,10,11,9,10.5,1000", // 4
  ].join("\n");

  it("reports the right line and returns no bars by default", () => {
    const r = parseBarsCsv(csv, {}, calendar);
    expect(r.bars).toEqual([]);
    expect(r.rowsRead).toBe(3);
    expect(r.badRows).toBe(1);
    expect(r.errors).toEqual([{ line: 3, message: "high 10.2 is below low 11.0", raw: "2024-01-03,10,10.2,11.0,10.1,1000" }]);
    expect(r.firstT).toBeNull();
    const e = thrown(() => assertImportable(r, { fileName: "X.csv" }));
    expect(e.code).toBe("CSV_MALFORMED");
    expect(e.message).toBe("X.csv: 1 bad row; first: line 3: high 10.2 is below low 11.0; fix them or pass skipBadRows to import the rest.");
    expect((e.details?.errors as unknown[]).length).toBe(1);
  });

  it("imports the rest with skipBadRows", () => {
    const r = parseBarsCsv(csv, { skipBadRows: true }, calendar);
    expect(r.bars.map((b) => dayOf(b.t))).toEqual(["2024-01-02", "2024-01-04"]);
    expect(r.errors).toHaveLength(1);
    expect(() => assertImportable(r, { skipBadRows: true })).not.toThrow();
  });

  it("checks every field and counts lines across blank lines and quoted cells", () => {
    const text = [
      "Date,Open,High,Low,Close,Volume",
      "2024-01-02,10,11,9,10.5", // 2: too few columns
      "",
      "2024-01-03,abc,11,9,10.5,1000", // 4
      "2024-01-04,10,11,9,,1000", // 5
      "2024-13-01,10,11,9,10.5,1000", // 6
      "2024-01-08,0,11,9,10.5,1000", // 7
      "2024-01-09,10,10.4,9,10.5,1000", // 8: high below close
      "2024-01-10,10,11,10.2,10.5,1000", // 9: low above open
      "2024-01-11,10,11,9,10.5,-1", // 10
      '"2024-01-12","10","11","9","10.5","1000"', // 11: fine, quoted
      "2024-01-12,10,11,9,10.5,1000", // 12: duplicate of 11
      "yesterday,10,11,9,10.5,1000", // 13
    ].join("\r\n");
    const r = parseBarsCsv(text, { skipBadRows: true }, calendar);
    const byLine = Object.fromEntries(r.errors.map((e) => [e.line, e.message]));
    expect(byLine).toEqual({
      2: "expected 6 columns, found 5",
      4: 'open "abc" is not a number',
      5: "close is empty",
      6: 'unparseable date "2024-13-01" (not a real calendar date)',
      7: "open 0 is not positive",
      8: "high 10.4 is below close 10.5",
      9: "low 10.2 is above open 10",
      10: "volume -1 is negative",
      12: "duplicate time stamp: bar 2024-01-12T00:00:00-05:00 already on line 11",
      13: expect.stringContaining('unparseable date "yesterday"'),
    });
    expect(r.bars).toHaveLength(1);
    expect(r.rowsRead).toBe(11);
  });

  it("gives the first line of a record whose quoted cell spans lines", () => {
    const text = 'Date,Open,High,Low,Close,Volume\n\n2024-01-02,1,1,1,1,1\n2024-01-03,"1\n0",1,1,1,1\n2024-01-04,1,1,1,1,-5\n';
    const r = parseBarsCsv(text, {}, calendar);
    expect(r.errors.map((e) => e.line)).toEqual([4, 6]);
  });

  it("reports duplicate minute stamps", () => {
    const text = "datetime,open,high,low,close,volume\n2019-02-11 09:32:00,1,1,1,1,1\n2019-02-11 09:31:00,1,1,1,1,1\n2019-02-11 09:32:00,1,2,1,1,1\n";
    const r = parseBarsCsv(text, {}, calendar);
    expect(r.errors).toEqual([expect.objectContaining({ line: 4, message: "duplicate time stamp: bar 2019-02-11T09:31:00-05:00 already on line 2" })]);
    expect(r.bars).toEqual([]);
  });

  it("rejects an all-bad file even with skipBadRows", () => {
    const r = parseBarsCsv("Date,Open,High,Low,Close,Volume\n2024-01-02,x,1,1,1,1\n", { skipBadRows: true }, calendar);
    expect(thrown(() => assertImportable(r, { skipBadRows: true, fileName: "bad.csv" })).message).toMatch(/^bad\.csv: no importable rows/);
  });
});

describe("file-level problems", () => {
  it("names empty and header-only files", () => {
    expect(thrown(() => parseBarsCsv("", {}, calendar)).code).toBe("CSV_MALFORMED");
    expect(thrown(() => parseBarsCsv("\uFEFF\n  \n", {}, calendar)).message).toMatch(/empty/);
    const e = thrown(() => parseBarsCsv("Date,Open,High,Low,Close,Volume\n", {}, calendar));
    expect(e.code).toBe("CSV_MALFORMED");
    expect(e.message).toMatch(/header .* but no data rows/);
  });

  it("explains an unknown header and how to map it", () => {
    const e = thrown(() => parseBarsCsv("when,first,top,bottom,last,qty\n2024-01-02,1,1,1,1,1\n", {}, calendar));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain('found columns "when", "first", "top", "bottom", "last", "qty"');
    expect(e.message).toContain("could not find time, open, high, low, volume");
    expect(e.message).toContain("columns: {");
  });

  it("says so when the first line is data, not a header", () => {
    expect(thrown(() => parseBarsCsv("2024-01-02,1,1,1,1,1\n2024-01-03,1,1,1,1,1\n", {}, calendar)).message).toMatch(/first line looks like data/);
  });

  it("skips blank, whitespace-only and comma-only rows without counting them", () => {
    const r = parseBarsCsv("Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n   \n,,,,,\n2024-01-03,1,1,1,1,x\n", {}, calendar);
    expect(r.rowsRead).toBe(2);
    expect(r.errors.map((e) => e.line)).toEqual([5]);
  });

  it("rejects bad options with INVALID_INPUT", () => {
    expect(thrown(() => parseBarsCsv("a\n1", { timeZone: "Mars/Olympus" }, calendar)).code).toBe("INVALID_INPUT");
    expect(thrown(() => parseBarsCsv("a\n1", { layout: "custom" }, calendar)).message).toMatch(/needs a columns mapping/);
    expect(csvImportOptionsSchema.parse({})).toEqual({ layout: "auto", timeZone: "America/New_York", skipBadRows: false });
  });

  it("reports broken CSV syntax as CSV_MALFORMED with a line", () => {
    const e = thrown(() => parseBarsCsv('Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n"2024-01-03,1,1,1,1,1\n', {}, calendar));
    expect(e.code).toBe("CSV_MALFORMED");
    expect(e.message).toMatch(/line \d/);
  });

  it("refuses to guess an unsupported bar size", () => {
    const text = "timestamp,open,high,low,close,volume\n2024-01-02 09:30,1,1,1,1,1\n2024-01-02 10:00,1,1,1,1,1\n";
    expect(thrown(() => parseBarsCsv(text, {}, calendar)).message).toMatch(/30 minutes apart/);
    expect(parseBarsCsv(text, { timeframe: "1Min" }, calendar).bars).toHaveLength(2);
  });
});

describe("layouts, zones and stamps", () => {
  it("maps custom columns, reads epoch seconds and applies a zone to naive times", () => {
    const epoch = "ts;o;h;l;c;v\n".replace(/;/g, ",") + "1549895400,1,2,0.5,1.5,10\n1549895460,1.5,2,1,1.8,0\n";
    const r = parseBarsCsv(epoch, { columns: { time: "ts", open: "o", high: "h", low: "l", close: "c", volume: "v" }, timeframe: "1Min" }, calendar);
    expect(r.layout).toBe("custom");
    expect(r.bars.map((b) => b.t)).toEqual([Date.parse("2019-02-11T14:30:00Z"), Date.parse("2019-02-11T14:31:00Z")]);

    const naive = "When,PX_OPEN,PX_HIGH,PX_LOW,PX_LAST,Shares\n2019-02-11 15:30:00,1,2,0.5,1.5,10\n";
    const cols = { time: "When", open: "PX_OPEN", high: "PX_HIGH", low: "PX_LOW", close: "PX_LAST", volume: "Shares" };
    const london = parseBarsCsv(naive, { columns: cols, timeZone: "Europe/London", timeframe: "1Min" }, calendar);
    expect(london.bars[0]!.t).toBe(Date.parse("2019-02-11T15:30:00Z"));
    const ny = parseBarsCsv(naive, { columns: cols, timeframe: "1Min" }, calendar);
    expect(ny.bars[0]!.t).toBe(Date.parse("2019-02-11T20:30:00Z"));
  });

  it("reads epoch milliseconds and infers 5Min bars from their spacing", () => {
    const t0 = Date.parse("2024-03-11T13:30:00Z");
    const text = `t,o,h,l,c,v\n${t0},1,1,1,1,1\n${t0 + 300_000},1,1,1,1,1\n${t0 + 900_000},1,1,1,1,1\n`;
    const r = parseBarsCsv(text, {}, calendar);
    expect(r.layout).toBe("generic");
    expect(r.timeframe).toBe("5Min");
    expect(r.timeLabel).toBe("start");
    expect(r.bars[0]!.t).toBe(t0);
  });

  it("respects ISO offsets and Z whatever the time zone option", () => {
    const text = "timestamp,open,high,low,close,volume\n2019-02-11T09:30:00-05:00,1,1,1,1,1\n2019-02-11T14:31:00Z,1,1,1,1,1\n2019-02-11T15:32:00+01:00,1,1,1,1,1\n";
    const r = parseBarsCsv(text, { timeZone: "Asia/Tokyo" }, calendar);
    expect(r.timeframe).toBe("1Min");
    expect(r.bars.map((b) => new Date(b.t).toISOString())).toEqual(["2019-02-11T14:30:00.000Z", "2019-02-11T14:31:00.000Z", "2019-02-11T14:32:00.000Z"]);
  });

  it("tolerates header case and synonyms, sorts newest-first daily rows, keeps adj_close", () => {
    const text = "DATE,OPEN,HIGH,LOW,CLOSE,adj_close,Vol\n2024-01-03,2,2,2,2,1.9,5\n2024-01-02,1,1,1,1,0.9,5\n";
    const r = parseBarsCsv(text, {}, calendar);
    expect(r.layout).toBe("yahoo");
    expect(r.mapping).toMatchObject({ time: "DATE", adjClose: "adj_close", volume: "Vol" });
    expect(r.bars.map((b) => [dayOf(b.t), b.adjClose])).toEqual([["2024-01-02", 0.9], ["2024-01-03", 1.9]]);
  });

  it("joins separate date and time columns; honours an explicit end label", () => {
    const text = "Date,Time,Open,High,Low,Close,Volume\n2024-03-11,09:35,1,1,1,1,1\n2024-03-11,09:40,1,1,1,1,1\n";
    const r: CsvParseResult = parseBarsCsv(text, { timeLabel: "end" }, calendar);
    expect(r.timeframe).toBe("5Min");
    // 2024-03-11 is after the US DST change: 09:30 EDT = 13:30Z.
    expect(r.bars[0]!.t).toBe(Date.parse("2024-03-11T13:30:00Z"));
  });

  it("daily stamps keep their written date (UTC midnight is not pulled into the previous day)", () => {
    const text = "date,open,high,low,close,volume\n2024-01-02T00:00:00Z,1,1,1,1,1\n2024-01-03T00:00:00Z,1,1,1,1,1\n";
    const r = parseBarsCsv(text, { timeframe: "1Day" }, calendar);
    expect(r.bars.map((b) => dayOf(b.t))).toEqual(["2024-01-02", "2024-01-03"]);
  });

  it("flags date-only rows in an intraday file and non-existent local times", () => {
    const text = "datetime,open,high,low,close,volume\n2024-01-02,1,1,1,1,1\n2024-03-10 02:30:00,1,1,1,1,1\n2024-01-02 09:31:00,1,1,1,1,1\n";
    const r = parseBarsCsv(text, { timeframe: "1Min", skipBadRows: true }, calendar);
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'date "2024-01-02" has no time of day, but the bars are 1Min'],
      [3, expect.stringContaining("does not exist in America/New_York")],
    ]);
    expect(r.bars).toHaveLength(1);
  });

  it("refuses a forced layout that does not fit the header", () => {
    expect(thrown(() => parseBarsCsv("Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n", { layout: "yahoo" }, calendar)).code).toBe("INVALID_INPUT");
  });
});
