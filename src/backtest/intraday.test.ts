import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, FIXTURES, type TestApp } from "../../test/support/app.js";
import { HAS_DAILY_FIXTURES, importDailyFixtures } from "../../test/support/fixture-universe.js";
import { roundToTick } from "../execution/paper/fill-model.js";
import type { SingleReport } from "./report/build-report.js";

const MINUTE = join(FIXTURES, "bars", "minute");
const HAS_MINUTE = existsSync(join(MINUTE, "AAPL_1min.csv")) && existsSync(join(MINUTE, "MSFT_1min.csv"));

/**
 * Intraday replay over the real one-minute fixtures (2019-02-11..15, regular session): a
 * step per minute, decisions on bars complete at that minute's end, market orders filled
 * at the open of the NEXT minute bar ± slippage.
 */
describe.skipIf(!HAS_MINUTE || !HAS_DAILY_FIXTURES)("backtest: one-minute steps", () => {
  let t: TestApp;
  let report: SingleReport;
  let reportHash: string;
  const config = {
    start: "2019-02-11",
    end: "2019-02-15",
    timeframe: "1Min",
    universe: ["AAPL", "MSFT"],
    benchmark: "AAPL",
    costs: { slippageBps: 5 },
    // Minute bars a few hundred dollars each: keep the per-minute order rate under the limit and sizes small.
    strategy: {
      kind: "rules",
      indicators: { fast: { name: "ema", period: 5 }, slow: { name: "ema", period: 30 } },
      entry: { left: "fast", op: "crosses_above", right: "slow" },
      exit: { left: "fast", op: "crosses_below", right: "slow" },
      sizing: { kind: "fixed_shares", shares: 10 },
      rebalance: "every_bar",
    },
  };

  beforeAll(async () => {
    t = createTestApp({ demo: false });
    importDailyFixtures(t.app, ["AAPL", "MSFT"]);
    for (const s of ["AAPL", "MSFT"]) t.app.data.importCsv({ path: join(MINUTE, `${s}_1min.csv`), symbol: s }, { trusted: true });
    const stored = await t.app.backtest.run(config);
    report = stored.report as SingleReport;
    reportHash = stored.reportHash;
  }, 120_000);
  afterAll(() => t.cleanup());

  it("steps every minute of the five sessions and trades on the minute bars", () => {
    expect(report.period.steps).toBe(5 * 390);
    expect(report.numbers.curves.t[0]).toBe(Date.parse("2019-02-11T14:31:00Z"));
    expect(report.orders.submitted).toBeGreaterThan(4);
    expect(report.policy.timing).toMatch(/next minute bar's open/);
  });

  it("fills each order at the open of a minute bar starting at or after the decision, ± slippage", () => {
    const fills = report.numbers.trades.flatMap((x) => [
      { symbol: x.symbol, t: x.entryT, price: x.avgEntry, side: "buy" },
      { symbol: x.symbol, t: x.exitT, price: x.avgExit, side: "sell" },
    ]);
    expect(fills.length).toBeGreaterThan(2);
    for (const f of fills) {
      const bar = t.app.data.getBars({ symbol: f.symbol, timeframe: "1Min", from: new Date(f.t).toISOString(), to: new Date(f.t).toISOString(), limit: 1 }).bars[0]!;
      expect(bar.t).toBe(f.t);
      expect(f.price).toBeCloseTo(roundToTick(bar.open * (f.side === "buy" ? 1.0005 : 0.9995)), 9);
    }
    // Every proposal was decided at a minute's end strictly before the bar it filled on started.
    const decided = report.numbers.trades.map((x) => x.entryT);
    const firstDecision = report.numbers.curves.t[0]!;
    expect(Math.min(...decided)).toBeGreaterThan(firstDecision);
  });

  it("reproduces to the same hash", async () => {
    const again = await t.app.backtest.run(config);
    expect(again.reportHash).toBe(reportHash);
  });
});
