import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToolRegistry } from "../../tools/index.js";
import type { ToolResult } from "../../tools/registry.js";
import { createTestApp, type TestApp } from "../../test/support/app.js";
import { filedDates, HAS_EDGAR_FIXTURES, startFakeSec, TEST_USER_AGENT, type FakeSec } from "../../test/support/fake-sec.js";
import { DAILY_FIXTURES, HAS_DAILY_FIXTURES, importDailyFixtures } from "../../test/support/fixture-universe.js";
import type { App } from "../app.js";
import { silentLogger } from "../core/logger.js";
import type { Bar } from "../data/bar.js";
import { resetSharedSecLimiterForTests } from "../edgar/client/sec-client.js";
import { roundToTick } from "../execution/paper/fill-model.js";
import { riskLimitsSchema } from "../risk/limits.js";
import type { SingleReport } from "./report/build-report.js";
import { replay, type ReplayRequest } from "./replay.js";
import { createRunApp, type RunApp } from "./run-app.js";
import type { OrderPlan, StepView, Strategy } from "./strategy/types.js";

/**
 * No look-ahead, end to end: a replay's strategy and every tool it calls through the real
 * registry against the run App see nothing stamped after the backtest Clock's now — not
 * prices (bars planted in the source database inside the run range stay invisible until
 * their session has closed) and not fundamentals (SEC facts filed after the step's New
 * York date stay out, whatever asOf is asked for). Each check also proves the planted
 * data DOES show up once its time has come, so the test can fail.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

const registry = createToolRegistry();

async function callOk(app: App, name: string, args: Record<string, unknown>): Promise<{ structured: Json; text: string }> {
  const r: ToolResult = await registry.call(name, args, { app });
  if (!r.ok) throw new Error(`${name} ${JSON.stringify(args)} failed: ${r.error.code}: ${r.error.message}`);
  return { structured: r.structured as Json, text: r.text };
}

/** Every string in a JSON value with the key it sits under. */
function strings(x: unknown, key = "", out: { key: string; value: string }[] = []): { key: string; value: string }[] {
  if (typeof x === "string") out.push({ key, value: x });
  else if (Array.isArray(x)) for (const v of x) strings(v, key, out);
  else if (x && typeof x === "object") for (const [k, v] of Object.entries(x)) strings(v, k, out);
  return out;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every date-time in a result is at or before `now` and every calendar date at or before
 * the step's New York date. (asOfRequested echoes the caller's own input.)
 */
function expectNothingAfter(result: Json, now: number, date: string, what: string, opts: { mayBeEmpty?: boolean } = {}): void {
  let checked = 0;
  for (const { key, value } of strings(result)) {
    if (key === "asOfRequested") continue;
    if (ISO_TIME.test(value)) {
      expect(Date.parse(value), `${what}: ${key} ${value} is after now ${new Date(now).toISOString()}`).toBeLessThanOrEqual(now);
      checked++;
    } else if (ISO_DAY.test(value)) {
      expect(value <= date, `${what}: ${key} ${value} is after the step's date ${date}`).toBe(true);
      checked++;
    }
  }
  if (!opts.mayBeEmpty) expect(checked, `${what} carries no time at all`).toBeGreaterThan(0);
}

/** A run App over [start, end] built the way BacktestManager.runSingle builds one. */
function runAppFor(source: App, symbols: string[], start: string, end: string, paper = { startingCash: 100_000, slippageBps: 5, participation: 0.1 }): RunApp {
  const cal = source.data.calendar;
  const days = cal.tradingDays(start, end);
  let warmStart = days[0]!;
  for (let i = 0; i < 330; i++) warmStart = cal.previousTradingDay(warmStart);
  const limits = riskLimitsSchema.parse({ ...source.limits(), autoApprovePaper: { enabled: false, maxNotional: 0 } });
  return createRunApp(
    source,
    {
      symbols,
      ranges: [{ timeframe: "1Day", fromT: cal.startOfDay(warmStart), toT: cal.session(days.at(-1)!)!.close }],
      startAt: cal.session(days[0]!)!.open,
      limits,
      paper,
    },
    silentLogger(),
  );
}

function replayRequest(universe: string[], benchmark: string, start: string, end: string): ReplayRequest {
  return { timeframe: "1Day", start, end, universe, benchmark, cadence: "daily", resumeAfterSessions: null, maxOrdersPerMinute: 10 };
}

/** A strategy that trades as told and hands every step to a probe. */
class SpyStrategy implements Strategy {
  readonly name = "spy";
  readonly warmupBars = 60;
  readonly warmed = new Map<string, Bar[]>();
  steps = 0;
  constructor(private readonly probe: (view: StepView, index: number) => Promise<OrderPlan[]>) {}
  warm(symbol: string, bars: readonly Bar[]): void {
    this.warmed.set(symbol, [...bars]);
  }
  async onStep(view: StepView): Promise<OrderPlan[]> {
    return this.probe(view, this.steps++);
  }
}

// ─────────────────────────────────────── prices ───────────────────────────────────────

const START = "2019-01-02";
const END = "2019-03-29";
/** From this session on, the source database holds planted AAPL bars. */
const PLANT_FROM = "2019-02-15";
const MARK = 999_999;
/** "999999" as a number of its own: not the tail of 42.699999999 nor the middle of a volume. */
const MARK_RE = /(?<![\d.])999,?999(?!\d)/;

/** The planted bar of the k-th session from PLANT_FROM: high and close MARK, a distinct open. */
const plantedOpen = (k: number): number => 990_000 + 100 * k;

describe.skipIf(!HAS_DAILY_FIXTURES)("no look-ahead in a replay: prices", () => {
  let t: TestApp;
  let dir: string;

  beforeAll(() => {
    t = createTestApp({ demo: false });
    importDailyFixtures(t.app, ["AAPL", "MSFT"]);
    // Overwrite every AAPL bar from PLANT_FROM on (importing upserts by time).
    const rows = readFileSync(join(DAILY_FIXTURES, "AAPL.csv"), "utf8").trim().split("\n").slice(1);
    const planted = rows
      .map((r) => r.split(","))
      .filter((c) => c[0]! >= PLANT_FROM && c[0]! <= "2019-06-28")
      .map((c, k) => [c[0], plantedOpen(k), MARK, c[3], MARK, MARK, c[6]].join(","));
    dir = mkdtempSync(join(tmpdir(), "argus-plant-"));
    const file = join(dir, "AAPL-planted.csv");
    writeFileSync(file, `Date,Open,High,Low,Close,Adj Close,Volume\n${planted.join("\n")}\n`);
    const report = t.app.data.importCsv({ path: file, symbol: "AAPL" }, { trusted: true });
    expect(report.updated).toBe(planted.length);
    // The source (clock in 2026) sees the plant: the run must not, until its time.
    const x = t.app.data.getBars({ symbol: "AAPL", timeframe: "1Day", from: PLANT_FROM, to: PLANT_FROM, limit: 1 }).bars[0]!;
    expect(x).toMatchObject({ open: plantedOpen(0), high: MARK, close: MARK });
  });

  afterAll(() => {
    t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the strategy and get_bars / get_latest_price / get_indicators / analyze_ticker / chart_ticker see nothing after now; the plant appears exactly at its session's close", async () => {
    const run = runAppFor(t.app, ["AAPL", "MSFT"], START, END);
    const cal = run.app.data.calendar;
    const closeOf = (bar: Bar) => cal.session(cal.dateAt(bar.t))!.close;
    const seen: { date: string; marked: boolean }[] = [];
    try {
      const spy = new SpyStrategy(async (view, i) => {
        expect(view.now).toBe(run.clock.now());
        expect(view.now).toBe(cal.session(view.date)!.close);
        // The strategy's own input: each new bar is this session's, complete at now.
        expect([...view.newBars.keys()].sort()).toEqual(["AAPL", "MSFT"]);
        for (const bar of view.newBars.values()) {
          expect(closeOf(bar)).toBeLessThanOrEqual(view.now);
          expect(cal.dateAt(bar.t)).toBe(view.date);
        }
        const aapl = view.newBars.get("AAPL")!;
        expect(aapl.close === MARK).toBe(view.date >= PLANT_FROM);

        const results = [
          await callOk(run.app, "get_bars", { symbol: "AAPL", timeframe: "1Day", limit: 5000 }),
          // Asking for the future explicitly changes nothing.
          await callOk(run.app, "get_bars", { symbol: "AAPL", timeframe: "1Day", from: cal.previousTradingDay(view.date), to: END, limit: 100 }),
          await callOk(run.app, "get_latest_price", { symbol: "AAPL" }),
          await callOk(run.app, "get_indicators", { symbol: "AAPL", indicators: [{ name: "sma", period: 5 }], limit: 10 }),
          await callOk(run.app, "get_indicators", { symbol: "AAPL", indicators: [{ name: "sma", period: 5 }], limit: 10, to: END }),
          await callOk(run.app, "analyze_ticker", { symbol: "AAPL" }),
          await callOk(run.app, "chart_ticker", { symbol: "AAPL", limit: 30, to: END, width: 300, height: 200, overlays: ["sma20"] }),
        ];
        const [bars, ahead, latest, sma, smaAhead, analysis, chart] = results.map((r) => r.structured) as Json[];
        for (const [k, r] of results.entries()) expectNothingAfter(r.structured, view.now, view.date, `step ${view.date} result ${k}`);

        // Bars: complete at now, the last one is this session's.
        for (const b of [...bars!.bars, ...ahead!.bars]) expect(cal.session(b.t.slice(0, 10))!.close).toBeLessThanOrEqual(view.now);
        expect(bars!.last.slice(0, 10)).toBe(view.date);
        expect(ahead!.last.slice(0, 10)).toBe(view.date);
        expect(Date.parse(latest!.asOf)).toBe(view.now);
        expect(sma!.bars.to.slice(0, 10)).toBe(view.date);
        expect(smaAhead!.bars.to).toBe(sma!.bars.to);
        expect(analysis!.bars.to.slice(0, 10)).toBe(view.date);
        expect(chart!.bars.to.slice(0, 10)).toBe(view.date);

        // The plant: absent from every result (structured and text) before its session, present from it on.
        const marked = results.map((r) => MARK_RE.test(JSON.stringify(r.structured)) || MARK_RE.test(r.text));
        if (view.date < PLANT_FROM) {
          expect(marked, `step ${view.date}: a planted value leaked`).toEqual(results.map(() => false));
          expect(bars!.bars.every((b: Json) => b.high < 1000)).toBe(true);
        } else {
          expect(latest!.price).toBe(MARK);
          expect(marked.slice(0, 3)).toEqual([true, true, true]);
        }
        seen.push({ date: view.date, marked: marked.some(Boolean) });

        // One order on the first step, to check where the paper broker fills it.
        return i === 0 ? [{ symbol: "MSFT", side: "buy", qty: 10, reason: "probe the fill" }] : [];
      });
      const result = await replay(run, spy, replayRequest(["AAPL", "MSFT"], "MSFT", START, END));

      // Warm-up bars (read at the first session's open) all closed before it.
      const firstOpen = cal.session(START)!.open;
      expect(spy.warmed.get("AAPL")!.length).toBe(60);
      for (const bars of spy.warmed.values()) for (const b of bars) expect(closeOf(b)).toBeLessThan(firstOpen);

      expect(result.steps).toBe(cal.tradingDays(START, END).length);
      expect(seen.length).toBe(result.steps);
      // The plant was hidden until its session closed and visible from then on.
      expect(seen.filter((s) => s.marked).map((s) => s.date)).toEqual(cal.tradingDays(PLANT_FROM, END));

      // The order decided at the close of the first session filled at the NEXT session's open, plus slippage.
      expect(result.proposals).toHaveLength(1);
      expect(result.proposals[0]).toMatchObject({ date: START, outcome: "submitted" });
      expect(result.fills).toHaveLength(1);
      const fill = result.fills[0]!;
      const next = cal.nextTradingDay(START);
      const nextBar = t.app.data.getBars({ symbol: "MSFT", timeframe: "1Day", from: next, to: next, limit: 1 }).bars[0]!;
      const decisionBar = t.app.data.getBars({ symbol: "MSFT", timeframe: "1Day", from: START, to: START, limit: 1 }).bars[0]!;
      expect(cal.dateAt(fill.t)).toBe(next);
      expect(fill.t).toBeGreaterThan(cal.session(START)!.close);
      expect(fill.referencePrice).toBe(nextBar.open);
      expect(fill.price).toBe(roundToTick(nextBar.open * (1 + 5 / 1e4)));
      expect(fill.price).not.toBe(roundToTick(decisionBar.open * (1 + 5 / 1e4)));
    } finally {
      run.app.close();
    }
  });

  it("inside the planted session, before its close, nothing of it is visible — even when asked for", async () => {
    const run = runAppFor(t.app, ["AAPL", "MSFT"], START, END);
    const cal = run.app.data.calendar;
    const session = cal.session(PLANT_FROM)!;
    try {
      const probe = async (now: number) => {
        run.clock.set(now);
        const results = await Promise.all([
          callOk(run.app, "get_bars", { symbol: "AAPL", from: PLANT_FROM, to: END }),
          callOk(run.app, "get_bars", { symbol: "AAPL", to: END, limit: 10 }),
          callOk(run.app, "get_latest_price", { symbol: "AAPL" }),
          callOk(run.app, "get_indicators", { symbol: "AAPL", indicators: [{ name: "sma", period: 5 }], to: END }),
          callOk(run.app, "analyze_ticker", { symbol: "AAPL" }),
        ]);
        for (const [k, r] of results.entries()) expectNothingAfter(r.structured, now, cal.dateAt(now), `at ${new Date(now).toISOString()} result ${k}`, { mayBeEmpty: k === 0 });
        return { fromPlant: results[0]!.structured.count as number, marked: results.some((r) => MARK_RE.test(JSON.stringify(r.structured)) || MARK_RE.test(r.text)) };
      };
      const hidden = { fromPlant: 0, marked: false };
      expect(await probe(session.open)).toEqual(hidden);
      expect(await probe(session.open + 3_600_000)).toEqual(hidden);
      expect(await probe(session.close - 1)).toEqual(hidden);
      expect(await probe(session.close)).toEqual({ fromPlant: 1, marked: true });
    } finally {
      run.app.close();
    }
  });

  it("a rules strategy whose entry needs the planted price orders only after the plant's session closed, and fills at the next open", async () => {
    const initialCash = 100_000_000;
    const stored = await t.app.backtest.run({
      name: "look-ahead probe",
      start: START,
      end: END,
      universe: ["AAPL"],
      benchmark: "MSFT",
      initialCash,
      costs: { slippageBps: 5 },
      strategy: { kind: "rules", entry: { left: "close", op: ">", right: 100_000 }, sizing: { kind: "fixed_shares", shares: 1 } },
      limits: { maxNotionalPerOrder: 2_000_000, noLongsInPanic: false },
      supervision: { resumeAfterSessions: null },
    });
    const report = stored.report as SingleReport;
    expect(report.kind).toBe("single");
    // One decision (at the close of PLANT_FROM), submitted and filled once; nothing refused.
    expect(report.orders).toMatchObject({ proposed: 1, submitted: 1, blocked: 0, blockedOnRecheck: 0, brokerRejected: 0, fills: 1 });
    expect(report.numbers.trades).toEqual([]);
    expect(report.numbers.openTrades).toHaveLength(1);
    const open = report.numbers.openTrades[0]!;
    const cal = t.app.data.calendar;
    const fillDay = cal.nextTradingDay(PLANT_FROM); // 2019-02-19: Monday the 18th was Presidents' Day
    expect(fillDay).toBe("2019-02-19");
    expect(open).toMatchObject({ symbol: "AAPL", qty: 1, entryDate: fillDay });
    expect(open.entryReasons).toEqual([`entry: close ${MARK} > 100000`]);
    // The fill price is the stored open of the NEXT session (not the decision session's), plus 5 bps, on the cent.
    const stored19 = t.app.data.getBars({ symbol: "AAPL", timeframe: "1Day", from: fillDay, to: fillDay, limit: 1 }).bars[0]!;
    expect(stored19.open).toBe(plantedOpen(1));
    expect(open.avgEntry).toBe(roundToTick(stored19.open * (1 + 5 / 1e4)));
    expect(open.avgEntry).toBe(990_595.05);
    // Until the fill the account held cash only: no decision was made on a bar before it existed.
    const c = report.numbers.curves;
    const fillT = cal.session(fillDay)!.open;
    for (let i = 0; i < c.t.length; i++) if (c.t[i]! < fillT) expect(c.equity[i]).toBe(initialCash);
  });
});

// ──────────────────────────────────── fundamentals ────────────────────────────────────

const F_START = "2019-10-01";
const F_END = "2019-11-29";
/** Apple's FY2019 10-K (fiscal year ended 2019-09-28) was filed on 2019-10-31. */
const TEN_K_FILED = "2019-10-31";
const FY2019_REVENUE = 260_174_000_000;
const REVENUE_TAG = "RevenueFromContractWithCustomerExcludingAssessedTax";
const AROUND_FILING = new Set(["2019-10-30", "2019-10-31", "2019-11-01"]);

describe.skipIf(!HAS_EDGAR_FIXTURES || !HAS_DAILY_FIXTURES)("no look-ahead in a replay: SEC fundamentals", () => {
  let sec: FakeSec;
  let t: TestApp;

  beforeAll(async () => {
    sec = await startFakeSec();
    resetSharedSecLimiterForTests();
    t = createTestApp({ demo: false, env: { ARGUS_SEC_USER_AGENT: TEST_USER_AGENT, ARGUS_SEC_DATA_URL: sec.url, ARGUS_SEC_WWW_URL: sec.url } });
    importDailyFixtures(t.app, ["AAPL"]);
  });

  afterAll(async () => {
    t?.cleanup();
    await sec?.close();
  });

  it("statements, concept history and factors hold nothing filed after the step's date, with or without a later asOf; FY2019 appears on the filing date", async () => {
    const run = runAppFor(t.app, ["AAPL"], F_START, F_END);
    const probed: { date: string; fy2019: boolean }[] = [];
    try {
      const spy = new SpyStrategy(async (view, i) => {
        if (!(i % 5 === 0 || AROUND_FILING.has(view.date))) return [];
        const filedBy = view.date >= TEN_K_FILED;
        const presence: boolean[] = [];
        for (const asOf of [undefined, "2030-01-01"]) {
          const extra = asOf ? { asOf } : {};
          const statement = (await callOk(run.app, "get_financial_statements", { company: "AAPL", statement: "income", period: "annual", limit: 5, ...extra })).structured;
          const concept = (await callOk(run.app, "get_concept_history", { company: "AAPL", tag: REVENUE_TAG, limit: 50, ...extra })).structured;
          const factors = (await callOk(run.app, "get_factors", { company: "AAPL", basis: "annual", ...extra })).structured;
          for (const [name, r] of [
            ["statement", statement],
            ["concept", concept],
            ["factors", factors],
          ] as const) {
            const what = `${name} at ${view.date}${asOf ? ` asOf ${asOf}` : ""}`;
            // The answer is as of the clock's New York date, a later request is cut back to it.
            expect(r.asOf, what).toBe(view.date);
            expect(r.asOfRequested, what).toBe(asOf);
            const filed = filedDates(r);
            expect(filed.length, what).toBeGreaterThan(0);
            for (const d of filed) expect(d <= view.date, `${what}: filed ${d}`).toBe(true);
            expectNothingAfter(r, view.now, view.date, what);
          }
          // The factors' price is a daily close the clock has reached.
          expect(Date.parse(factors.price.asOf)).toBeLessThanOrEqual(view.now);

          const fy = statement.columns.findIndex((c: Json) => c.label === "FY2019");
          const revenue = statement.rows.find((r: Json) => r.item === "revenue");
          presence.push(fy >= 0, fy >= 0 && revenue.values[fy]?.value === FY2019_REVENUE);
          presence.push(concept.values.some((v: Json) => v.start === "2018-09-30" && v.end === "2019-09-28" && v.value === FY2019_REVENUE));
          presence.push(factors.period.end === "2019-09-28");
          presence.push(JSON.stringify([statement, concept, factors]).includes(String(FY2019_REVENUE)));
          if (!filedBy) {
            // The latest annual column is FY2018 until the 10-K is filed.
            expect(statement.columns[0].label).toBe("FY2018");
            expect(factors.period.end).toBe("2018-09-29");
          } else {
            expect(statement.columns[0]).toMatchObject({ label: "FY2019", end: "2019-09-28" });
            expect(revenue.values[0]).toMatchObject({ value: FY2019_REVENUE, filed: TEN_K_FILED, form: "10-K" });
          }
        }
        expect(presence, `FY2019 presence at ${view.date}`).toEqual(presence.map(() => filedBy));
        probed.push({ date: view.date, fy2019: filedBy });
        return [];
      });
      await replay(run, spy, replayRequest(["AAPL"], "AAPL", F_START, F_END));
      // The probes straddled the filing: the day before, the day of, the day after.
      expect(probed.map((p) => p.date)).toEqual(expect.arrayContaining([...AROUND_FILING]));
      expect(probed.some((p) => !p.fy2019) && probed.some((p) => p.fy2019)).toBe(true);
      // The facts were downloaded once; later probed days (the cache's TTL is 6 hours of the
      // replayed clock) only revalidated them.
      const hits = sec.hits("/api/xbrl/companyfacts/CIK0000320193.json").map((r) => r.status);
      expect(hits[0]).toBe(200);
      expect(hits.slice(1).every((s) => s === 304)).toBe(true);
      expect(hits.length).toBeLessThanOrEqual(probed.length);
    } finally {
      run.app.close();
    }
  });
});
