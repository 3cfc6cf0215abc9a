import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NyseCalendar } from "../data/calendar/nyse-calendar.js";
import { createTestApp, type TestApp } from "../../test/support/app.js";
import { HAS_DAILY_FIXTURES, importDailyFixtures, TREND_20_SLOTS } from "../../test/support/fixture-universe.js";
import type { StoredBacktest } from "./backtest-manager.js";
import type { SingleReport } from "./report/build-report.js";

/**
 * A case small enough to check by hand: 70 quiet warm-up sessions, then 20 sessions in
 * which `close > 21` buys 100 shares and `close < 20.5` sells them. Decisions are made at
 * the close; orders are market-on-open and fill at the NEXT session's open ± 10 bps,
 * rounded to the cent.
 */
const cal = new NyseCalendar();
const DAYS = cal.tradingDays("2019-01-02", "2019-06-28").slice(0, 90);
const RUN = DAYS.slice(70);

// Run-day closes and the opens that matter (index into RUN). Opens default to the previous close.
const CLOSES = [20.2, 21.5, 22.0, 22.5, 20.4, 20.3, 21.2, 21.4, 23.0, 20.4, 22.1, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0];
const OPENS: Record<number, number> = { 2: 21.6, 5: 20.3, 7: 21.3, 10: 22.0 };

function handCsv(): string {
  const rows = ["Date,Open,High,Low,Close,Adj Close,Volume"];
  let prev = 20;
  DAYS.forEach((date, i) => {
    const r = i - 70;
    const close = r < 0 ? (i % 2 === 0 ? 20.0 : 20.2) : CLOSES[r]!;
    const open = r >= 0 && OPENS[r] !== undefined ? OPENS[r]! : prev;
    const high = Math.max(open, close) + 0.1;
    const low = Math.min(open, close) - 0.1;
    rows.push([date, open, high, low, close, close, 1_000_000].map(String).join(","));
    prev = close;
  });
  return `${rows.join("\n")}\n`;
}

const handConfig = {
  name: "hand case",
  start: RUN[0]!,
  end: RUN[19]!,
  universe: ["HAND"],
  costs: { slippageBps: 10 },
  strategy: {
    kind: "rules",
    entry: { left: "close", op: ">", right: 21 },
    exit: { left: "close", op: "<", right: 20.5 },
    sizing: { kind: "fixed_shares", shares: 100 },
    rebalance: "daily",
  },
};

describe("backtest: a hand-computable case", () => {
  let t: TestApp;
  let dir: string;
  let first: StoredBacktest;
  let report: SingleReport;

  beforeAll(async () => {
    t = createTestApp({ demo: false });
    dir = mkdtempSync(join(tmpdir(), "argus-hand-"));
    writeFileSync(join(dir, "HAND.csv"), handCsv());
    t.app.data.importCsv({ path: join(dir, "HAND.csv"), symbol: "HAND", sector: "Information Technology" }, { trusted: true });
    first = await t.app.backtest.run(handConfig);
    report = first.report as SingleReport;
  });
  afterAll(() => {
    t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fills at the next session's open plus or minus slippage, exactly", () => {
    const at = (r: number) => cal.session(RUN[r]!)!.open;
    // Entry seen at the close of run day 1 (21.5 > 21) → buy at day 2's open 21.60 × 1.001 = 21.6216 → 21.62.
    // Exit at day 4's close (20.4 < 20.5) → sell at day 5's open 20.30 × 0.999 = 20.2797 → 20.28.
    // Entry at day 6 (21.2) → buy at day 7's open 21.30 × 1.001 = 21.3213 → 21.32.
    // Exit at day 9 (20.4) → sell at day 10's open 22.00 × 0.999 = 21.978 → 21.98.
    // Day 10 closes at 22.1 > 21 again, but from here on the firewall refuses the entry: the
    // ±10% jumps of this quiet series classify its regime as PANIC, and noLongsInPanic is on.
    const fills = report.numbers.trades.flatMap((x) => [x.entryT, x.exitT]);
    expect(fills).toEqual([at(2), at(5), at(7), at(10)]);
    expect(report.numbers.trades.map((x) => [x.avgEntry, x.avgExit, x.qtyBought])).toEqual([
      [21.62, 20.28, 100],
      [21.32, 21.98, 100],
    ]);
    expect(report.numbers.openTrades).toEqual([]);
  });

  it("has the cash, P&L, costs and statistics worked out by hand", () => {
    const n = report.numbers;
    // P&L: (20.28 − 21.62) × 100 = −134; (21.98 − 21.32) × 100 = +66.
    expect(n.trades.map((x) => Math.round(x.pnl * 100) / 100)).toEqual([-134, 66]);
    expect(n.realizedPnl).toBeCloseTo(-68, 9);
    expect(n.hitRate).toBe(0.5);
    expect(n.profitFactor).toBeCloseTo(66 / 134, 12);
    // Slippage: 2 cents a share on each of four fills of 100 shares.
    expect(n.costs.slippage).toBeCloseTo(8, 9);
    // Cash: 100,000 − 2,162 + 2,028 − 2,132 + 2,198 = 99,932, all of it cash at the end.
    expect(n.curves.equity.at(-1)).toBeCloseTo(99_932, 6);
    // Equity at run day 2's close: 97,838 cash + 100 × 22.0.
    expect(n.curves.equity[2]).toBeCloseTo(100_038, 6);
    expect(n.curves.equity[0]).toBe(100_000);
    expect(n.metrics.totalReturn).toBeCloseTo(99_932 / 100_000 - 1, 12);
    // Days 10–19: ten entries proposed, each refused by the REGIME check alone.
    expect(report.orders).toMatchObject({ proposed: 14, submitted: 4, blocked: 10, fills: 4 });
    expect(report.firewall.rejectionsByCode).toEqual({ REGIME: 10 });
    expect(report.firewall.examples[0]).toMatchObject({ date: RUN[10], side: "buy", outcome: "blocked", failedChecks: ["REGIME"] });
  });

  it("gives every trade its reason and states the approval policy", () => {
    expect(report.numbers.trades[0]!.entryReasons[0]).toMatch(/^entry: close 21\.5\d* > 21/);
    expect(report.numbers.trades[0]!.exitReasons[0]).toMatch(/^exit: close 20\.4\d* < 20\.5/);
    expect(report.policy.approval).toMatch(/approve-if-firewall-passes/);
    // The run's own audit chain verifies and holds every step of the order path.
    expect(report.audit).toMatchObject({ verified: true, byKind: { "proposal.created": 14, "proposal.auto_approved": 4, "order.submitted": 4 } });
    expect(report.policy.timing).toMatch(/next session's opening price/);
  });

  it("reproduces to the same hashes on a second run, and compare_backtests says so", async () => {
    const second = await t.app.backtest.run(handConfig);
    expect(second.id).not.toBe(first.id);
    expect(second.reportHash).toBe(first.reportHash);
    expect(second.dataHash).toBe(first.dataHash);
    expect(second.configHash).toBe(first.configHash);
    // A changed cost model changes the report (the hash is not constant).
    const third = await t.app.backtest.run({ ...handConfig, costs: { slippageBps: 0 } });
    expect(third.reportHash).not.toBe(first.reportHash);
    expect(third.dataHash).toBe(first.dataHash);
    expect(t.app.backtest.list(10).map((b) => b.id)).toEqual(expect.arrayContaining([first.id, second.id, third.id]));
  });

  it("leaves the user's own book, proposals and analysis log untouched", async () => {
    const account = await t.app.execution.account();
    expect(account.cash).toBe(100_000);
    expect(await t.app.execution.positions()).toEqual([]);
    expect(t.app.execution.listProposals({ limit: 10 })).toEqual([]);
    expect(t.app.analysis.list({ limit: 10 } as never)).toEqual([]);
  });

  it("refuses bad configurations before running, storing nothing", () => {
    const before = t.app.backtest.list(100).length;
    const bad = async (patch: Record<string, unknown>, code: string, message: RegExp) => {
      await expect(t.app.backtest.run({ ...handConfig, ...patch })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    };
    return Promise.all([
      bad({ strategy: { ...handConfig.strategy, indicators: { x: { name: "smma", period: 3 } } } }, "INVALID_INPUT", /strategy\.indicators\.x\.name/),
      bad({ strategy: { ...handConfig.strategy, entry: { left: "fast", op: ">", right: 1 } } }, "INVALID_INPUT", /unknown indicator alias "fast"/),
      bad({ universe: [] }, "INVALID_INPUT", /universe is empty/),
      bad({ start: "2019-06-01", end: "2019-05-01" }, "INVALID_RANGE", /start 2019-06-01 is after end 2019-05-01/),
      bad({ start: "2015-01-02", end: "2015-12-31" }, "NO_DATA", /No 1Day bars between 2015-01-02 and 2015-12-31 for HAND.*covers 2019-01-02 to/),
      bad({ universe: ["HNAD"] }, "UNKNOWN_SYMBOL", /Did you mean HAND/),
      bad({ start: "2019-02-30" }, "INVALID_INPUT", /start: is not a calendar date/),
      bad({ end: "2030-01-02" }, "INVALID_RANGE", /after today/),
    ]).then(() => expect(t.app.backtest.list(100).length).toBe(before));
  });

  it("the ensemble waits for enough history instead of failing on a young symbol", async () => {
    // HAND's bars start on DAYS[0]: the first ~60 sessions cannot be analysed, the rest are.
    const stored = await t.app.backtest.run({ ...handConfig, start: DAYS[5]!, end: DAYS[89]!, strategy: { kind: "ensemble", rebalance: "daily" } });
    const r = stored.report as SingleReport;
    expect(r.period.steps).toBe(85);
    // At the close of DAYS[5 + i], 6 + i bars are visible; analysis needs 60: steps i = 54..84.
    expect(r.analyses).toBe(31);
  });

  it("stops when cancelled, storing nothing", async () => {
    const before = t.app.backtest.list(100).length;
    const controller = new AbortController();
    controller.abort();
    await expect(t.app.backtest.run(handConfig, { signal: controller.signal })).rejects.toMatchObject({ code: "CANCELLED" });
    expect(t.app.backtest.list(100).length).toBe(before);
  });
});

describe.skipIf(!HAS_DAILY_FIXTURES)("backtest: 20 years of 56 real symbols", () => {
  let t: TestApp;
  let report: SingleReport;
  let stored: StoredBacktest;

  beforeAll(async () => {
    t = createTestApp({ demo: false });
    const tickers = importDailyFixtures(t.app, undefined, { spy: true });
    stored = await t.app.backtest.run({
      name: "trend, 20 slots",
      start: "2001-01-02",
      end: "2020-12-11",
      universe: tickers,
      strategy: TREND_20_SLOTS,
    });
    report = stored.report as SingleReport;
  }, 240_000);
  afterAll(() => t.cleanup());

  it("completes over every session with SPY as the benchmark", () => {
    expect(report.period.steps).toBe(cal.tradingDays("2001-01-02", "2020-12-11").length);
    expect(report.benchmark).toBe("SPY");
    expect(report.numbers.benchmark?.totalReturn).toBeGreaterThan(0);
    expect(stored.bars).toBeGreaterThan(270_000);
    expect(report.numbers.tradeCount).toBeGreaterThan(50);
  });

  it("shows the firewall binding: 20 slots against 10 open positions, and sector concentration", () => {
    const codes = report.firewall.rejectionsByCode;
    expect(codes.MAX_OPEN_POSITIONS).toBeGreaterThan(100);
    expect(codes.SECTOR_CONCENTRATION).toBeGreaterThan(0);
    expect(Math.max(...report.numbers.curves.t.map((_, i) => i).map((i) => report.numbers.curves.exposure[i]!))).toBeLessThanOrEqual(1.0 + 1e-9);
    expect(report.firewall.examples[0]!.failedChecks.length).toBeGreaterThan(0);
  });

  it("renders the equity and drawdown chart", () => {
    const png = t.app.backtest.chart(stored)!;
    expect(png.png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.width).toBeGreaterThan(300);
  });
});

describe.skipIf(!HAS_DAILY_FIXTURES)("backtest: the default ensemble", () => {
  let t: TestApp;
  const config = { start: "2019-01-02", end: "2019-12-31", universe: ["AAPL", "MSFT", "JPM", "XOM"], strategy: { kind: "ensemble" } };

  beforeAll(() => {
    t = createTestApp({ demo: false });
    importDailyFixtures(t.app, config.universe);
  });
  afterAll(() => t.cleanup());

  it("analyses every symbol at each weekly rebalance through the AnalysisEngine, logged in the run, and trades on its decisions", async () => {
    const stored = await t.app.backtest.run(config);
    const r = stored.report as SingleReport;
    const weeks = new Set(cal.tradingDays(config.start, config.end).map((d) => cal.session(d)!.date).map((d) => { const n = new Date(`${d}T12:00:00Z`); n.setUTCDate(n.getUTCDate() - ((n.getUTCDay() + 6) % 7)); return n.toISOString().slice(0, 10); })).size;
    expect(r.analyses).toBe(weeks * config.universe.length);
    expect(r.audit.byKind["analysis.logged"]).toBe(r.analyses);
    expect(r.orders.proposed).toBeGreaterThan(0);
    expect(r.numbers.trades.length + r.numbers.openTrades.length).toBeGreaterThan(0);
    const reason = (r.numbers.trades[0]?.entryReasons[0] ?? r.numbers.openTrades[0]!.entryReasons[0])!;
    expect(reason).toMatch(/^entry: ensemble BUY \(confidence \d\.\d\d, regime [A-Z_]+, score -?\d\.\d\d\)$/);
    // What the decisions depend on beyond the config is stated and hashed.
    expect(r.strategy.engine?.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.strategy.engine?.analysis.horizonDays).toBe(t.app.config.analysis.horizonDays);
    // The user's own analysis log is untouched.
    expect(t.app.analysis.list({ limit: 5 } as never)).toEqual([]);
  }, 60_000);

  it("refuses ATR sizing with a period its analysis does not compute", async () => {
    await expect(t.app.backtest.run({ ...config, strategy: { kind: "ensemble", sizing: { kind: "atr_risk", riskPct: 0.01, atrPeriod: 20 } } })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/ATR\(14\)/) });
  });
});
