import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FIXTURES, createTestApp, type TestApp } from "../../test/support/app.js";
import { ArgusError } from "../core/errors.js";

const DAILY = join(FIXTURES, "bars", "daily");
const MINUTE = join(FIXTURES, "bars", "minute");

function expectCode(fn: () => unknown, code: string): ArgusError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgusError);
    expect((e as ArgusError).code).toBe(code);
    return e as ArgusError;
  }
  throw new Error(`expected ${code}`);
}

describe("DataManager", () => {
  let t: TestApp;
  afterEach(() => t?.cleanup());

  describe.skipIf(!existsSync(DAILY))("CSV import of the real fixtures", () => {
    it("stores 5,271 daily AAPL bars, idempotently", () => {
      t = createTestApp({ demo: false });
      const first = t.app.data.importCsv({ path: join(DAILY, "AAPL.csv") }, { trusted: true });
      expect(first).toMatchObject({ symbol: "AAPL", timeframe: "1Day", imported: 5271, inserted: 5271, updated: 0, skipped: 0 });
      const again = t.app.data.importCsv({ path: join(DAILY, "AAPL.csv") }, { trusted: true });
      expect(again).toMatchObject({ imported: 5271, inserted: 0, updated: 5271 });
      const bars = t.app.data.getBars({ symbol: "AAPL", timeframe: "1Day", limit: 20_000 });
      expect(bars.bars).toHaveLength(5271);
      expect(bars.bars[0]!.t).toBe(Date.parse("2000-01-03T05:00:00Z")); // midnight New York
      expect(bars.bars[0]!.close).toBe(0.999442);
      expect(bars.bars[0]!.adjClose).toBe(0.855168);
      expect(t.app.data.symbols()[0]!.coverage[0]).toMatchObject({ timeframe: "1Day", count: 5271 });
    });

    it.skipIf(!existsSync(MINUTE))("stores minute bars at their UTC start: the first AAPL bar is 2019-02-11 09:30-09:31 ET", () => {
      t = createTestApp({ demo: false });
      const r = t.app.data.importCsv({ path: join(MINUTE, "AAPL_1min.csv") }, { trusted: true });
      expect(r.symbol).toBe("AAPL");
      expect(r.timeframe).toBe("1Min");
      expect(r.firstT).toBe(Date.parse("2019-02-11T14:30:00Z"));
      const first = t.app.data.getBars({ symbol: "AAPL", timeframe: "1Min", from: "2019-02-11", limit: 2 }).bars;
      expect(first[0]).toMatchObject({ t: Date.parse("2019-02-11T14:30:00Z"), open: 171.14, close: 170.97 });
      // 5-minute bars are rolled up from the stored minutes, aligned to 09:30.
      const five = t.app.data.getBars({ symbol: "AAPL", timeframe: "5Min", from: "2019-02-11T09:30:00", limit: 3 });
      expect(five.aggregatedFrom).toBe("1Min");
      expect(five.bars[0]!.t).toBe(Date.parse("2019-02-11T14:30:00Z"));
      const minutes = t.app.data.getBars({ symbol: "AAPL", timeframe: "1Min", from: "2019-02-11T09:30:00", to: "2019-02-11T09:34:00" }).bars;
      expect(five.bars[0]!.volume).toBe(minutes.reduce((s, b) => s + b.volume, 0));
      expect(five.bars[0]!.high).toBe(Math.max(...minutes.map((b) => b.high)));
    });
  });

  it("imports nothing from a file with a broken row and names the line", () => {
    t = createTestApp({ demo: false });
    const file = join(t.home, "BROKEN.csv");
    writeFileSync(file, "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,10.5,10.5,100\n2020-01-03,10,oops,9,10.5,10.5,100\n2020-01-06,10,11,9,10.5,10.5,100\n");
    const err = expectCode(() => t.app.data.importCsv({ path: file }, { trusted: true }), "CSV_MALFORMED");
    expect(err.message).toMatch(/line 3/);
    expect(t.app.data.symbols()).toHaveLength(0);
    const skipped = t.app.data.importCsv({ path: file, skipBadRows: true }, { trusted: true });
    expect(skipped).toMatchObject({ imported: 2, skipped: 1 });
  });

  it("never returns a bar that is not complete at clock.now() (no look-ahead)", () => {
    // The demo is generated up to the last close before TEST_NOW (Friday 2026-11-20); move the
    // clock back to Wednesday 2026-11-18 10:00 New York and the later bars must vanish.
    t = createTestApp();
    t.app.close();
    const early = createTestApp({ now: Date.parse("2026-11-18T15:00:00Z"), env: { ARGUS_HOME: t.home } });
    try {
      const last = early.app.data.getBars({ symbol: "MKT.DEMO", timeframe: "1Day", limit: 1 }).bars[0]!;
      expect(early.app.data.calendar.dateAt(last.t)).toBe("2026-11-17"); // today's bar is still forming
      const p = early.app.data.latestPrice("MKT.DEMO");
      // The demo has minute bars for 2026-11-16..20: the latest visible price is the
      // 09:59 minute that has just completed, not anything later that day.
      expect(p).toMatchObject({ timeframe: "1Min", asOf: Date.parse("2026-11-18T15:00:00Z"), barStart: Date.parse("2026-11-18T14:59:00Z") });
      const minutes = early.app.data.getBars({ symbol: "MKT.DEMO", timeframe: "1Min", from: "2026-11-18", to: "2026-11-19" }).bars;
      expect(minutes).toHaveLength(30); // 09:30..09:59
      const hour = early.app.data.getBars({ symbol: "MKT.DEMO", timeframe: "1Hour", from: "2026-11-18" }).bars;
      // The 09:00 hour (09:30..09:59 in session) has just completed; the 10:00 hour has not.
      expect(hour).toHaveLength(1);
      expect(hour[0]).toMatchObject({ t: Date.parse("2026-11-18T14:00:00Z"), volume: minutes.reduce((s, b) => s + b.volume, 0) });
      const explicit = early.app.data.getBars({ symbol: "MKT.DEMO", timeframe: "1Day", from: "2026-11-01", to: "2026-12-31" }).bars;
      expect(explicit.every((b) => b.t <= Date.parse("2026-11-17T05:00:00Z"))).toBe(true);
    } finally {
      early.cleanup();
    }
  });

  it("reports latest price age and staleness from the calendar", () => {
    t = createTestApp();
    const fresh = t.app.data.latestPrice("NOVA.DEMO");
    expect(fresh.stale).toBe(false);
    expect(fresh.timeframe).toBe("1Min");
    expect(fresh.asOf).toBe(Date.parse("2026-11-20T21:00:00Z")); // last minute bar ends at the close
    t.clock.set(Date.parse("2026-11-26T15:00:00Z")); // Thanksgiving: Mon, Tue, Wed sessions closed since
    const later = t.app.data.latestPrice("NOVA.DEMO");
    expect(later.sessionsSince).toBe(3);
    expect(later.stale).toBe(true);
  });

  it("rejects bad queries with stable codes", () => {
    t = createTestApp();
    expectCode(() => t.app.data.getBars({ symbol: "NOVA", timeframe: "1Day" }), "UNKNOWN_SYMBOL");
    const suggest = expectCode(() => t.app.data.getBars({ symbol: "NOVA.DEMA", timeframe: "1Day" }), "UNKNOWN_SYMBOL");
    expect(suggest.message).toMatch(/Did you mean NOVA\.DEMO/);
    expectCode(() => t.app.data.getBars({ symbol: "NOVA.DEMO", timeframe: "1Day", from: "2025-02-01", to: "2025-01-01" }), "INVALID_RANGE");
    expectCode(() => t.app.data.getBars({ symbol: "NOVA.DEMO", timeframe: "1Day", limit: 10_000_000 }), "LIMIT_TOO_LARGE");
    expectCode(() => t.app.data.importCsv({ path: "/etc/hostname" }, { trusted: false }), "PATH_NOT_ALLOWED");
    expectCode(() => t.app.data.importCsv({ path: join(t.home, "missing.csv") }, { trusted: true }), "FILE_NOT_FOUND");
  });

  it("pages forward from `from` and backward from `to`, flagging truncation", () => {
    t = createTestApp();
    const head = t.app.data.getBars({ symbol: "MKT.DEMO", timeframe: "1Day", from: "2020-01-01", limit: 3 });
    expect(head.bars.map((b) => t.app.data.calendar.dateAt(b.t))).toEqual(["2020-01-02", "2020-01-03", "2020-01-06"]);
    expect(head.truncated).toBe(true);
    const tail = t.app.data.getBars({ symbol: "MKT.DEMO", timeframe: "1Day", to: "2020-01-06", limit: 2 });
    expect(tail.bars.map((b) => t.app.data.calendar.dateAt(b.t))).toEqual(["2020-01-03", "2020-01-06"]);
  });

  it("sees bars another process wrote to the same database, despite its read cache", () => {
    t = createTestApp({ demo: false });
    const file = join(t.home, "XYZ.csv");
    writeFileSync(file, "Date,Open,High,Low,Close,Adj Close,Volume\n2026-11-19,10,11,9,10.5,10.5,100\n");
    t.app.data.importCsv({ path: file }, { trusted: true });
    expect(t.app.data.getBars({ symbol: "XYZ", timeframe: "1Day" }).bars).toHaveLength(1); // now cached
    // A second connection (as `argus import` would be, beside a running server) adds a bar.
    const other = createTestApp({ demo: false, env: { ARGUS_HOME: t.home } });
    writeFileSync(file, "Date,Open,High,Low,Close,Adj Close,Volume\n2026-11-20,10.5,12,10,11.5,11.5,200\n");
    other.app.data.importCsv({ path: file, sector: "Energy" }, { trusted: true });
    other.cleanup();
    const bars = t.app.data.getBars({ symbol: "XYZ", timeframe: "1Day" }).bars;
    expect(bars.map((b) => b.close)).toEqual([10.5, 11.5]);
    expect(t.app.data.requireSymbol("XYZ").sector).toBe("Energy");
  });

  it("refreshes the demo up to the last closed session and leaves imported symbols alone", () => {
    t = createTestApp();
    const file = join(t.home, "REAL.csv");
    writeFileSync(file, "Date,Open,High,Low,Close,Adj Close,Volume\n2026-11-19,10,11,9,10.5,10.5,100\n");
    t.app.data.importCsv({ path: file }, { trusted: true });
    t.clock.set(Date.parse("2026-12-02T15:00:00Z"));
    expect(t.app.data.latestPrice("NOVA.DEMO").stale).toBe(true);
    const r = t.app.data.refreshDemoData();
    expect(r.removed).toBe(r.loaded);
    const last = t.app.data.getBars({ symbol: "NOVA.DEMO", timeframe: "1Day", limit: 1 }).bars[0]!;
    expect(t.app.data.calendar.dateAt(last.t)).toBe("2026-12-01");
    expect(t.app.data.latestPrice("NOVA.DEMO").stale).toBe(false);
    expect(t.app.data.getBars({ symbol: "REAL", timeframe: "1Day" }).bars).toHaveLength(1);
  });

  it("loads the synthetic demo once, labelled synthetic", () => {
    t = createTestApp();
    const symbols = t.app.data.symbols();
    expect(symbols.length).toBeGreaterThanOrEqual(20);
    expect(symbols.every((s) => s.synthetic && s.source === "synthetic-demo" && /SYNTHETIC/.test(s.note ?? ""))).toBe(true);
    expect(new Set(symbols.map((s) => s.sector)).size).toBeGreaterThanOrEqual(10);
    expect(t.app.data.ensureDemoData().loaded).toBe(false);
  });
});
