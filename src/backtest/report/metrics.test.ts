import { describe, expect, it } from "vitest";
import { computeReport, drawdownSeries, replayTrades, slippageCost, type EquityPoint, type FillRecord } from "./metrics.js";

const DAY = 86_400_000;
/** 16:00 New York in winter (EST, UTC−5) on 2024-01-dd. */
const closeOn = (dd: number) => Date.UTC(2024, 0, dd, 21);
/** 09:30 New York in winter on 2024-01-dd. */
const openOn = (dd: number) => Date.UTC(2024, 0, dd, 14, 30);
const dateOn = (dd: number) => `2024-01-${String(dd).padStart(2, "0")}`;

function point(dd: number, equity: number, extra: Partial<EquityPoint> = {}): EquityPoint {
  return { t: closeOn(dd), date: dateOn(dd), equity, cash: equity, longMarketValue: 0, positions: 0, benchmarkClose: null, ...extra };
}

function fill(dd: number, symbol: string, side: "buy" | "sell", qty: number, price: number, reason: string, referencePrice: number | null = null): FillRecord {
  return { t: openOn(dd), symbol, side, qty, price, referencePrice, reason };
}

/** Independent statistics, written the long way: two-pass mean and variance. */
function twoPass(equity: number[], rf: number, ppy: number) {
  const r: number[] = [];
  for (let i = 1; i < equity.length; i++) r.push((equity[i]! - equity[i - 1]!) / equity[i - 1]!);
  const n = r.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += r[i]!;
  const m = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (r[i]! - m) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  const target = rf / ppy;
  let down = 0;
  for (let i = 0; i < n; i++) if (r[i]! < target) down += (r[i]! - target) ** 2;
  const dd = Math.sqrt(down / n);
  return { vol: std * Math.sqrt(ppy), sharpe: ((m - target) / std) * Math.sqrt(ppy), sortino: ((m - target) / dd) * Math.sqrt(ppy) };
}

describe("drawdownSeries", () => {
  it("is value / running peak − 1", () => {
    // Peaks 100, 110, 110, 121 → 0, 0, 99/110 − 1 = −0.1, 0.
    const dd = drawdownSeries([100, 110, 99, 121]);
    expect(dd[0]).toBe(0);
    expect(dd[1]).toBe(0);
    expect(dd[2]).toBeCloseTo(-0.1, 15);
    expect(dd[3]).toBe(0);
  });

  it("gives NaN for a gap and keeps the peak across it", () => {
    const dd = drawdownSeries([100, Number.NaN, 80]);
    expect(dd[1]).toBeNaN();
    expect(dd[2]).toBeCloseTo(-0.2, 15);
  });
});

describe("computeReport: the equity curve", () => {
  // Equity 100, 110, 99, 121 from 100 cash, on four consecutive days.
  const points = [point(2, 100), point(3, 110), point(4, 99), point(5, 121)];
  const r = computeReport({ points, fills: [], initialCash: 100 });

  it("computes returns, drawdowns and the worst drawdown's dates", () => {
    // Total: 121 / 100 − 1 = 0.21.
    expect(r.metrics.totalReturn).toBeCloseTo(0.21, 15);
    expect(r.curves.t).toEqual(points.map((p) => p.t));
    expect(r.curves.equity).toEqual([100, 110, 99, 121]);
    expect(r.curves.drawdown[2]).toBeCloseTo(-0.1, 15);
    // Worst: −0.1, from the 110 peak (Jan 3) to 99 (Jan 4), back above 110 on Jan 5.
    expect(r.metrics.maxDrawdown).toBeCloseTo(-0.1, 15);
    expect(r.metrics.maxDrawdownStart).toBe("2024-01-03");
    expect(r.metrics.maxDrawdownTrough).toBe("2024-01-04");
    expect(r.metrics.maxDrawdownRecovery).toBe("2024-01-05");
  });

  it("computes vol, Sharpe and Sortino by hand", () => {
    // Returns 0.1, −0.1, 22/99 = 2/9. Mean = (2/9)/3 = 2/27.
    // Sample variance = Σ(r − 2/27)² / 2; downside = √((0 + 0.01 + 0) / 3).
    const rs = [0.1, -0.1, 2 / 9];
    const m = 2 / 27;
    const std = Math.sqrt(rs.reduce((s, x) => s + (x - m) ** 2, 0) / 2);
    expect(r.metrics.volatility).toBeCloseTo(std * Math.sqrt(252), 12);
    expect(r.metrics.sharpe).toBeCloseTo((m / std) * Math.sqrt(252), 12);
    expect(r.metrics.sortino).toBeCloseTo((m / Math.sqrt(0.01 / 3)) * Math.sqrt(252), 12);
  });

  it("computes CAGR and Calmar over the calendar span", () => {
    // 3 calendar days: 1.21^(365.25/3) − 1; Calmar = that / 0.1.
    const cagr = 1.21 ** (365.25 / 3) - 1;
    expect(r.metrics.cagr! / cagr).toBeCloseTo(1, 12);
    expect(r.metrics.calmar! / (cagr / 0.1)).toBeCloseTo(1, 12);
  });

  it("gives 10% a year for 100 → 121 over two years", () => {
    const t0 = closeOn(2);
    const two = computeReport({
      points: [point(2, 100), { ...point(2, 121), t: t0 + 2 * 365.25 * DAY, date: "2026-01-02" }],
      fills: [],
      initialCash: 100,
    });
    expect(two.metrics.cagr).toBeCloseTo(0.1, 14);
    expect(two.metrics.volatility).toBeNull(); // one return: no sample std
    expect(two.metrics.sharpe).toBeNull();
  });

  it("leaves an unrecovered drawdown's recovery null", () => {
    const u = computeReport({ points: [point(2, 100), point(3, 120), point(4, 90), point(5, 100)], fills: [], initialCash: 100 });
    // 90 / 120 − 1 = −0.25 from Jan 3, never back to 120.
    expect(u.metrics.maxDrawdown).toBeCloseTo(-0.25, 15);
    expect(u.metrics.maxDrawdownStart).toBe("2024-01-03");
    expect(u.metrics.maxDrawdownTrough).toBe("2024-01-04");
    expect(u.metrics.maxDrawdownRecovery).toBeNull();
  });

  it("matches an independent two-pass computation to 1e-12, with a risk-free rate", () => {
    // A deterministic wobbly curve (LCG), 500 steps.
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const equity = [100_000];
    for (let i = 1; i < 500; i++) equity.push(equity[i - 1]! * (1 + (rand() - 0.48) * 0.04));
    const pts = equity.map((e, i) => ({ ...point(2, e), t: closeOn(2) + i * DAY }));
    for (const [rf, ppy] of [[0, 252], [0.03, 252], [0.05, 52]] as const) {
      const got = computeReport({ points: pts, fills: [], initialCash: 100_000, riskFreeRate: rf, periodsPerYear: ppy }).metrics;
      const want = twoPass(equity, rf, ppy);
      expect(Math.abs(got.volatility! - want.vol)).toBeLessThan(1e-12);
      expect(Math.abs(got.sharpe! - want.sharpe)).toBeLessThan(1e-12);
      expect(Math.abs(got.sortino! - want.sortino)).toBeLessThan(1e-12);
    }
  });
});

describe("computeReport: edge cases", () => {
  it("handles no points", () => {
    const r = computeReport({ points: [], fills: [], initialCash: 1000 });
    expect(r.curves.equity).toEqual([]);
    expect(r.metrics.totalReturn).toBeNull();
    expect(r.metrics.cagr).toBeNull();
    expect(r.metrics.maxDrawdown).toBe(0);
    expect(r.benchmark).toBeNull();
    expect(r.exposure).toEqual({ average: null, max: null, timeInMarket: null });
    expect(r.turnover.annual).toBeNull();
  });

  it("handles one point", () => {
    const r = computeReport({ points: [point(2, 1010)], fills: [], initialCash: 1000 });
    expect(r.metrics.totalReturn).toBeCloseTo(0.01, 15);
    expect(r.metrics.cagr).toBeNull();
    expect(r.metrics.volatility).toBeNull();
    expect(r.metrics.sharpe).toBeNull();
    expect(r.metrics.sortino).toBeNull();
    expect(r.metrics.maxDrawdown).toBe(0);
    expect(r.metrics.calmar).toBeNull();
    expect(r.turnover.annual).toBeNull();
  });

  it("gives a flat curve zero vol and no Sharpe, Sortino or Calmar", () => {
    const r = computeReport({ points: [2, 3, 4, 5, 8].map((d) => point(d, 500)), fills: [], initialCash: 500 });
    expect(r.metrics.totalReturn).toBe(0);
    expect(r.metrics.cagr).toBe(0);
    expect(r.metrics.volatility).toBe(0);
    expect(r.metrics.sharpe).toBeNull();
    expect(r.metrics.sortino).toBeNull();
    expect(r.metrics.maxDrawdown).toBe(0);
    expect(r.metrics.maxDrawdownStart).toBeNull();
    expect(r.metrics.calmar).toBeNull();
    expect(r.curves.drawdown).toEqual([0, 0, 0, 0, 0]);
  });

  it("treats a constant growth rate's float noise as no risk", () => {
    const equity = [100, 101, 102.01, 103.0301, 104.060401];
    const r = computeReport({ points: equity.map((e, i) => point(2 + i, e)), fills: [], initialCash: 100 });
    expect(r.metrics.volatility!).toBeLessThan(1e-12);
    expect(r.metrics.sharpe).toBeNull();
    expect(r.metrics.sortino).toBeNull(); // no step fell short of rf = 0
  });

  it("starts the benchmark at its first close", () => {
    // Closes null, 10, 12, 9 from 1000 cash → null, 1000, 1200, 900.
    const closes = [null, 10, 12, 9];
    const points = closes.map((c, i) => point(2 + i, 1000, { benchmarkClose: c }));
    const r = computeReport({ points, fills: [], initialCash: 1000 });
    expect(r.curves.benchmarkEquity).toEqual([null, 1000, 1200, 900]);
    expect(r.curves.benchmarkDrawdown).toEqual([null, 0, 0, -0.25]);
    const b = r.benchmark!;
    expect(b.totalReturn).toBeCloseTo(-0.1, 15);
    expect(b.maxDrawdown).toBe(-0.25);
    expect(b.maxDrawdownStart).toBe("2024-01-04");
    expect(b.maxDrawdownTrough).toBe("2024-01-05");
    expect(b.maxDrawdownRecovery).toBeNull();
    // Its span is Jan 3 → Jan 5 (2 days), not from the first point: 0.9^(365.25/2) − 1.
    expect(b.cagr! / (0.9 ** (365.25 / 2) - 1)).toBeCloseTo(1, 12);
    // Two returns: +0.2, −0.25.
    expect(b.sharpe).toBeCloseTo(twoPass([1000, 1200, 900], 0, 252).sharpe, 12);
  });

  it("gives no benchmark when it never has a close", () => {
    const r = computeReport({ points: [point(2, 100), point(3, 101)], fills: [], initialCash: 100 });
    expect(r.benchmark).toBeNull();
    expect(r.curves.benchmarkEquity).toEqual([null, null]);
    expect(r.curves.benchmarkDrawdown).toEqual([null, null]);
  });
});

describe("computeReport: trades", () => {
  // AAA trip 1 (Jan 2 → Jan 10):
  //   buy 10 @ 100            qty 10, avg 100
  //   buy 10 @ 110            qty 20, avg 105
  //   sell 5 @ 120            realise (120 − 105) × 5 = +75, qty 15
  //   buy 5 @ 90              qty 20, avg (15 × 105 + 5 × 90) / 20 = 101.25
  //   sell 20 @ 100           realise (100 − 101.25) × 20 = −25, flat
  //   pnl 50; cost 1000 + 1100 + 450 = 2550 over 25 shares → avgEntry 102;
  //   proceeds 600 + 2000 = 2600 over 25 → avgExit 104; returnPct 50 / 2550.
  // BBB (Jan 3 → Jan 4): buy 10 @ 50, sell 10 @ 45 → −50, returnPct −0.1.
  // AAA trip 2 (Jan 11 → Jan 12): buy 2 @ 100, sell 2 @ 130 → +60.
  // CCC: buy 4 @ 25, sell 1 @ 30 → +5 realised, 3 still open at avg 25.
  const fills: FillRecord[] = [
    fill(2, "AAA", "buy", 10, 100, "entry", 99.75),
    fill(3, "BBB", "buy", 10, 50, "entry"),
    fill(4, "AAA", "buy", 10, 110, "add", 110),
    fill(4, "BBB", "sell", 10, 45, "stop", 45.25),
    fill(5, "AAA", "sell", 5, 120, "trim", 120.5),
    fill(8, "AAA", "buy", 5, 90, "add"),
    fill(10, "AAA", "sell", 20, 100, "exit"),
    fill(11, "AAA", "buy", 2, 100, "entry"),
    fill(11, "CCC", "buy", 4, 25, ""),
    fill(12, "AAA", "sell", 2, 130, "exit"),
    fill(12, "CCC", "sell", 1, 30, "trim"),
  ];
  const points = [point(2, 10_000), { ...point(2, 10_000), t: closeOn(2) + 365.25 * DAY, date: "2025-01-01" }];
  const r = computeReport({ points, fills, initialCash: 10_000 });

  it("replays round trips like the paper broker", () => {
    expect(r.trades.map((t) => [t.symbol, t.pnl])).toEqual([
      ["BBB", -50],
      ["AAA", 50],
      ["AAA", 60],
    ]);
    const aaa = r.trades[1]!;
    expect(aaa).toEqual({
      symbol: "AAA",
      entryT: openOn(2),
      entryDate: "2024-01-02",
      exitT: openOn(10),
      exitDate: "2024-01-10",
      qtyBought: 25,
      avgEntry: 102,
      avgExit: 104,
      pnl: 50,
      returnPct: 50 / 2550,
      holdingDays: 8,
      entryReasons: ["entry", "add"],
      exitReasons: ["trim", "exit"],
    });
    expect(r.trades[0]!.returnPct).toBe(-0.1);
    expect(r.trades[0]!.holdingDays).toBe(1);
    expect(r.openTrades).toEqual([{ symbol: "CCC", qty: 3, avgEntry: 25, entryT: openOn(11), entryDate: "2024-01-11", entryReasons: [] }]);
  });

  it("summarises the round trips", () => {
    expect(r.tradeCount).toBe(3);
    expect(r.hitRate).toBe(2 / 3);
    // (50 + 60) / |−50| = 2.2.
    expect(r.profitFactor).toBeCloseTo(2.2, 15);
    expect(r.averageWin).toBe(55);
    expect(r.averageLoss).toBe(-50);
    // 75 − 25 − 50 + 60 + 5 (CCC's partial sell) = 65.
    expect(r.realizedPnl).toBe(65);
  });

  it("counts slippage against the reference price, and no commission", () => {
    // buy 10 @ 100 vs 99.75: 2.5; sell 10 @ 45 vs 45.25: 2.5; sell 5 @ 120 vs 120.5: 2.5; buy @ ref: 0.
    expect(r.costs).toEqual({ slippage: 7.5, commission: 0, total: 7.5, asPctOfInitial: 7.5 / 10_000 });
    expect(slippageCost([fill(2, "X", "buy", 1, 9, "", 10)])).toBe(-1); // a better price is negative cost
  });

  it("computes one-way turnover", () => {
    // 1000 + 500 + 1100 + 450 + 600 + 450 + 2000 + 200 + 100 + 260 + 30 = 6690 over one year of 10,000 equity.
    expect(r.turnover.tradedNotional).toBe(6690);
    expect(r.turnover.annual).toBeCloseTo(0.669, 15);
    // Buying and selling the whole book once in a year is 2.0.
    const once = computeReport({
      points,
      fills: [fill(2, "X", "buy", 10, 1000, ""), fill(3, "X", "sell", 10, 1000, "")],
      initialCash: 10_000,
    });
    expect(once.turnover.annual).toBe(2);
  });

  it("replays fills in time order whatever order they come in", () => {
    const shuffled = [...fills].reverse();
    expect(replayTrades(shuffled)).toEqual(replayTrades(fills));
  });

  it("has no hit rate or profit factor without closed or losing trades", () => {
    const none = computeReport({ points, fills: [], initialCash: 10_000 });
    expect(none.hitRate).toBeNull();
    expect(none.profitFactor).toBeNull();
    expect(none.averageWin).toBeNull();
    expect(none.averageLoss).toBeNull();
    const onlyWins = computeReport({ points, fills: [fill(2, "X", "buy", 1, 10, ""), fill(3, "X", "sell", 1, 11, "")], initialCash: 10_000 });
    expect(onlyWins.hitRate).toBe(1);
    expect(onlyWins.profitFactor).toBeNull();
  });

  it("clamps a sell to what is held and drops one with nothing held", () => {
    const t = replayTrades([fill(2, "X", "sell", 5, 10, ""), fill(3, "X", "buy", 2, 10, ""), fill(4, "X", "sell", 3, 12, "")]);
    expect(t.trades).toHaveLength(1);
    expect(t.trades[0]!.pnl).toBe(4);
    expect(t.realizedPnl).toBe(4);
  });

  it("closes fractional positions despite float noise", () => {
    // 0.1 + 0.2 shares, then 0.3 sold: the book rounds to 1e-9 shares as the broker does.
    const t = replayTrades([fill(2, "X", "buy", 0.1, 10, ""), fill(3, "X", "buy", 0.2, 10, ""), fill(4, "X", "sell", 0.3, 11, "")]);
    expect(t.openTrades).toEqual([]);
    expect(t.trades).toHaveLength(1);
    expect(t.trades[0]!.pnl).toBeCloseTo(0.3, 12);
  });
});

describe("computeReport: exposure", () => {
  it("averages long value over equity and counts time in the market", () => {
    const points = [
      point(2, 100),
      point(3, 100, { longMarketValue: 50, cash: 50, positions: 1 }),
      point(4, 100, { longMarketValue: 100, cash: 0, positions: 2 }),
    ];
    const r = computeReport({ points, fills: [], initialCash: 100 });
    expect(r.curves.exposure).toEqual([0, 0.5, 1]);
    expect(r.exposure).toEqual({ average: 0.5, max: 1, timeInMarket: 2 / 3 });
  });
});
