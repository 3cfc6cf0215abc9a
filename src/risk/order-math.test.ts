import { describe, expect, it } from "vitest";
import { estimateOrder, exposureBook, isReducing, orderValue, remainingQty, worstExposure } from "./order-math.js";
import { baseContext, baseIntent, openOrder, position } from "./test-context.js";

describe("estimateOrder", () => {
  it("qty × reference price, or the given notional ÷ price", () => {
    expect(estimateOrder({ qty: 20 }, 400)).toEqual({ price: 400, qty: 20, notional: 8000 });
    expect(estimateOrder({ notional: 1000 }, 400)).toEqual({ price: 400, qty: 2.5, notional: 1000 });
  });
  it("leaves unknown parts null instead of guessing", () => {
    expect(estimateOrder({ qty: 20 }, null)).toEqual({ price: null, qty: 20, notional: null });
    expect(estimateOrder({ notional: 1000 }, Number.NaN)).toEqual({ price: null, qty: null, notional: 1000 });
    expect(estimateOrder({}, 400)).toEqual({ price: 400, qty: null, notional: null });
    expect(estimateOrder({ qty: -5 }, 400)).toEqual({ price: 400, qty: null, notional: null });
  });
});

describe("isReducing", () => {
  const positions = [position("AAPL", 80), position("TSLA", -30, 250)];
  it("a sell against a long or a buy against a short, up to the shares held", () => {
    expect(isReducing({ symbol: "AAPL", side: "sell", qty: 80 }, positions)).toBe(true);
    expect(isReducing({ symbol: "aapl", side: "sell", qty: 10 }, positions)).toBe(true);
    expect(isReducing({ symbol: "TSLA", side: "buy", qty: 30 }, positions)).toBe(true);
  });
  it("opening from flat, adding, or flipping is not reducing", () => {
    expect(isReducing({ symbol: "MSFT", side: "sell", qty: 1 }, positions)).toBe(false);
    expect(isReducing({ symbol: "AAPL", side: "buy", qty: 1 }, positions)).toBe(false);
    expect(isReducing({ symbol: "AAPL", side: "sell", qty: 81 }, positions)).toBe(false);
    expect(isReducing({ symbol: "TSLA", side: "sell", qty: 1 }, positions)).toBe(false);
  });
  it("notional orders are sized at the reference price, else the position's price; unknown size is not reducing", () => {
    expect(isReducing({ symbol: "AAPL", side: "sell", notional: 2300 }, positions)).toBe(true); // 10 shares at $230
    expect(isReducing({ symbol: "AAPL", side: "sell", notional: 2300 }, positions, { referencePrice: 10 })).toBe(false); // 230 shares
    expect(isReducing({ symbol: "AAPL", side: "sell" }, positions)).toBe(false);
  });
  it("shares committed to open orders on the same side cannot be reduced twice", () => {
    const openOrders = [openOrder({ symbol: "AAPL", side: "sell", qty: 60 })];
    expect(isReducing({ symbol: "AAPL", side: "sell", qty: 20 }, positions, { openOrders })).toBe(true);
    expect(isReducing({ symbol: "AAPL", side: "sell", qty: 21 }, positions, { openOrders })).toBe(false);
    // A canceled order commits nothing.
    expect(isReducing({ symbol: "AAPL", side: "sell", qty: 80 }, positions, { openOrders: [openOrder({ symbol: "AAPL", side: "sell", qty: 60, status: "canceled" })] })).toBe(true);
  });
});

describe("open orders and the exposure book", () => {
  it("remaining qty of qty and notional orders", () => {
    expect(remainingQty(openOrder({ symbol: "AAPL", side: "buy", qty: 10, filledQty: 4 }), 230)).toBe(6);
    expect(remainingQty(openOrder({ symbol: "AAPL", side: "buy", qty: null, notional: 1000, filledQty: 2, filledAvgPrice: 250 }), 250)).toBe(2);
    expect(remainingQty(openOrder({ symbol: "AAPL", side: "buy", qty: null, notional: 1000 }), null)).toBeNull();
  });
  it("orderValue takes the worst of reference, limit and stop", () => {
    expect(orderValue(baseIntent({ qty: 10 }), 400)).toBe(4000);
    expect(orderValue(baseIntent({ qty: 10, type: "limit", limitPrice: 410 }), 400)).toBe(4100);
    expect(orderValue(baseIntent({ qty: undefined, notional: 500 }), 400)).toBe(500);
    expect(orderValue(baseIntent({ qty: 10 }), null)).toBeNull();
  });
  it("a protective stop does not double a position's exposure", () => {
    const ctx = baseContext({ openOrders: [openOrder({ symbol: "AAPL", side: "sell", type: "stop", stopPrice: 210, qty: 80, timeInForce: "gtc" })] });
    const book = exposureBook(ctx, null);
    expect(worstExposure(book.entries.get("AAPL")!)).toBe(18_400);
    expect(book.unpriced).toEqual([]);
  });
  it("lists what it cannot value", () => {
    const ctx = baseContext({ openOrders: [openOrder({ symbol: "ZZZZ", side: "buy", type: "market", qty: 5 })] });
    expect(exposureBook(ctx, null).unpriced).toEqual(["ZZZZ"]);
  });
});
