import { describe, expect, it } from "vitest";
import { baseContext, baseIntent } from "../test-context.js";
import { DAILY_LOSS, dailyLossCheck } from "./daily-loss.js";
import { DRAWDOWN, drawdownCheck } from "./drawdown.js";
import type { SignalledCheckResult } from "./result.js";
import { WEEKLY_LOSS, weeklyLossCheck } from "./weekly-loss.js";

const sellAapl = baseIntent({ symbol: "AAPL", side: "sell", qty: 40 });
const signal = (r: unknown) => (r as SignalledCheckResult).signal;

describe("DAILY_LOSS", () => {
  it("a small loss passes with no signal", () => {
    const r = dailyLossCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: DAILY_LOSS, passed: true });
    expect(r.detail).toBe("Equity is down 0.5% ($500.00) since the previous close ($100,500 → $100,000); daily loss limit 2%.");
    expect(signal(r)).toBeUndefined();
  });
  it("a loss at the limit rejects opening orders and signals REDUCING", () => {
    const r = dailyLossCheck(baseIntent(), baseContext({ equity: { previousClose: 100_000, current: 98_000 } }));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/down 2% \(\$2,000\) since the previous close \(\$100,000 → \$98,000\), at or beyond the 2% daily loss limit: trading should move to REDUCING/);
    expect(signal(r)).toEqual({ stateShouldBe: "REDUCING" });
  });
  it("a reducing order passes with a warning, and still signals REDUCING", () => {
    const ctx = baseContext({ orderSymbol: "AAPL", equity: { previousClose: 100_000, current: 97_000 } });
    const r = dailyLossCheck(sellAapl, ctx);
    expect(r.passed).toBe(true);
    expect(r.warning).toMatch(/daily loss limit/);
    expect(signal(r)).toEqual({ stateShouldBe: "REDUCING" });
  });
  it("a gain passes", () => {
    expect(dailyLossCheck(baseIntent(), baseContext({ equity: { previousClose: 99_000 } })).detail).toMatch(/^Equity is up 1.01%/);
  });
  it("fails closed without equity marks or with a bad previous close", () => {
    expect(dailyLossCheck(baseIntent(), baseContext({ equity: null })).detail).toMatch(/Equity marks are unknown/);
    expect(dailyLossCheck(baseIntent(), baseContext({ equity: { previousClose: 0 } })).passed).toBe(false);
    expect(dailyLossCheck(baseIntent(), baseContext({ equity: { current: Number.NaN } })).passed).toBe(false);
  });
});

describe("WEEKLY_LOSS", () => {
  it("under the limit passes", () => {
    expect(weeklyLossCheck(baseIntent(), baseContext())).toMatchObject({ code: WEEKLY_LOSS, passed: true });
  });
  it("at the limit rejects every order, reducing ones too, and signals HALTED", () => {
    const ctx = baseContext({ orderSymbol: "AAPL", equity: { startOfWeek: 100_000, current: 95_000, previousClose: 95_500 } });
    for (const intent of [baseIntent({ symbol: "AAPL" }), sellAapl]) {
      const r = weeklyLossCheck(intent, ctx);
      expect(r.passed).toBe(false);
      expect(r.detail).toMatch(/down 5% \(\$5,000\) since the start of the week .* 5% weekly loss limit: trading should be HALTED/);
      expect(signal(r)).toEqual({ stateShouldBe: "HALTED" });
    }
  });
  it("fails closed without equity marks", () => {
    expect(weeklyLossCheck(baseIntent(), baseContext({ equity: null })).passed).toBe(false);
    expect(weeklyLossCheck(baseIntent(), baseContext({ equity: { startOfWeek: -1 } })).passed).toBe(false);
  });
});

describe("DRAWDOWN", () => {
  it("a shallow drawdown passes", () => {
    const r = drawdownCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: DRAWDOWN, passed: true });
    expect(r.detail).toMatch(/^Drawdown 3.85% from the \$104,000 peak/);
    expect(r.warning).toBeUndefined();
  });
  it("at the kill level every order rejects and the kill switch is signalled", () => {
    const ctx = baseContext({ orderSymbol: "AAPL", equity: { current: 88_400, previousClose: 88_400, startOfWeek: 88_400 } });
    for (const intent of [baseIntent({ symbol: "AAPL" }), sellAapl]) {
      const r = drawdownCheck(intent, ctx);
      expect(r.passed).toBe(false);
      expect(r.detail).toMatch(/Drawdown 15% from the \$104,000 peak .* kill switch/);
      expect(signal(r)).toEqual({ killSwitch: true, stateShouldBe: "HALTED" });
    }
  });
  describe("at the reduce level", () => {
    const ctx = (o: Parameters<typeof baseContext>[0] = {}) => baseContext({ equity: { current: 93_600, previousClose: 93_600, startOfWeek: 93_600 }, ...o });
    it("opening orders up to half the per-order cap pass with a warning", () => {
      const r = drawdownCheck(baseIntent(), ctx()); // $8,000 ≤ $12,500
      expect(r.passed).toBe(true);
      expect(r.warning).toMatch(/half size/);
      expect(signal(r)).toBeUndefined();
    });
    it("larger opening orders fail", () => {
      const r = drawdownCheck(baseIntent({ qty: 40 }), ctx()); // $16,000
      expect(r.passed).toBe(false);
      expect(r.detail).toMatch(/notional \$16,000 exceeds \$12,500 \(half the \$25,000 per-order cap\)/);
    });
    it("reducing orders pass whatever their size", () => {
      expect(drawdownCheck(sellAapl, ctx({ orderSymbol: "AAPL" })).passed).toBe(true);
    });
    it("an opening order of unknown notional fails closed", () => {
      expect(drawdownCheck(baseIntent(), ctx({ price: null })).passed).toBe(false);
    });
  });
  it("equity above a stale peak is no drawdown", () => {
    expect(drawdownCheck(baseIntent(), baseContext({ equity: { peak: 90_000 } })).detail).toMatch(/^Drawdown 0%/);
  });
  it("fails closed without equity marks or a positive peak", () => {
    expect(drawdownCheck(baseIntent(), baseContext({ equity: null })).passed).toBe(false);
    expect(drawdownCheck(baseIntent(), baseContext({ equity: { peak: 0 } })).passed).toBe(false);
  });
});
