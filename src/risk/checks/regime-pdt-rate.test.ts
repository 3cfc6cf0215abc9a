import { describe, expect, it } from "vitest";
import { baseContext, baseIntent, NOW, position, basePositions } from "../test-context.js";
import { ORDER_RATE, orderRateCheck } from "./order-rate.js";
import { PDT, pdtCheck } from "./pdt.js";
import { REGIME, regimeCheck } from "./regime.js";

describe("REGIME", () => {
  it("a normal regime passes without a warning", () => {
    const r = regimeCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: REGIME, passed: true, detail: "MSFT regime TRENDING." });
    expect(r.warning).toBeUndefined();
  });
  it("no new longs in PANIC", () => {
    const r = regimeCheck(baseIntent(), baseContext({ regime: "PANIC" }));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/PANIC regime and new longs are not allowed/);
    expect(regimeCheck(baseIntent({ symbol: "AAPL" }), baseContext({ orderSymbol: "AAPL", regime: "PANIC" })).passed).toBe(false);
  });
  it("sells and short covers pass in PANIC; the rule can be turned off", () => {
    expect(regimeCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 10 }), baseContext({ orderSymbol: "AAPL", regime: "PANIC" })).passed).toBe(true);
    const short = baseContext({ regime: "PANIC", positions: [...basePositions(), position("MSFT", -20)] });
    expect(regimeCheck(baseIntent({ qty: 20 }), short).passed).toBe(true);
    expect(regimeCheck(baseIntent(), baseContext({ regime: "PANIC", limits: { noLongsInPanic: false } })).passed).toBe(true);
  });
  it("an unknown regime passes with a warning (advisory input)", () => {
    const r = regimeCheck(baseIntent(), baseContext({ regime: null }));
    expect(r.passed).toBe(true);
    expect(r.warning).toMatch(/regime is unknown/);
  });
});

describe("PDT", () => {
  const small = (count: number, wouldBeDayTrade = true) => baseContext({ equity: { current: 20_000 }, dayTrades: { count, wouldBeDayTrade } });
  it("not a day trade passes", () => {
    expect(pdtCheck(baseIntent(), small(5, false))).toMatchObject({ code: PDT, passed: true });
  });
  it("a 4th day trade in 5 sessions under $25,000 fails", () => {
    const r = pdtCheck(baseIntent(), small(3));
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("This would be day trade number 4 in 5 sessions with equity $20,000 under $25,000: the pattern-day-trader rule allows 3.");
  });
  it("the 3rd passes with a warning; $25,000 or more passes; the guard can be off", () => {
    const third = pdtCheck(baseIntent(), small(2));
    expect(third.passed).toBe(true);
    expect(third.warning).toMatch(/last day trade/);
    expect(pdtCheck(baseIntent(), baseContext({ dayTrades: { count: 7, wouldBeDayTrade: true } })).passed).toBe(true);
    expect(pdtCheck(baseIntent(), baseContext({ equity: { current: 20_000 }, dayTrades: { count: 3, wouldBeDayTrade: true }, limits: { pdtGuard: false } })).passed).toBe(true);
  });
  it("fails closed on a day trade with unknown equity", () => {
    expect(pdtCheck(baseIntent(), baseContext({ equity: null, account: null, dayTrades: { count: 0, wouldBeDayTrade: true } })).passed).toBe(false);
  });
});

describe("ORDER_RATE", () => {
  const recent = (n: number, ageMs: number) => Array.from({ length: n }, (_, i) => ({ clientOrderId: `p${i}`, contentHash: `h${i}`, t: NOW - ageMs - i }));
  it("under the limit passes", () => {
    expect(orderRateCheck(baseIntent(), baseContext({ recent: recent(9, 1_000) }))).toMatchObject({ code: ORDER_RATE, passed: true, detail: "9 orders in the last 60 s (limit 10 per minute)." });
  });
  it("at the limit rejects (never queues) and says when to retry", () => {
    const r = orderRateCheck(baseIntent(), baseContext({ recent: recent(10, 20_000) }));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/10 orders in the last 60 s, at the limit of 10 per minute: rejected, not queued; retry in about 40 s/);
  });
  it("orders older than 60 s do not count", () => {
    expect(orderRateCheck(baseIntent(), baseContext({ recent: recent(10, 60_000) })).passed).toBe(true);
  });
});
