import { describe, expect, it } from "vitest";
import { auctionPrice, barCapacity, floorQty, isOnTick, priceOnBar, roundToTick, trailingStop, type ModelBar, type TriggerState } from "./fill-model.js";

// Hand-made bars pin down the edge cases of each rule; the broker tests check the same
// rules against the real fixtures.
const bar = (open: number, high: number, low: number, close: number, volume = 1_000): ModelBar => ({ start: 0, end: 60_000, open, high, low, close, volume });
const order = (o: Partial<TriggerState> & Pick<TriggerState, "side" | "type">): TriggerState => ({
  limitPrice: null,
  stopPrice: null,
  trailPercent: null,
  trailPrice: null,
  hwm: null,
  triggered: false,
  ...o,
});

describe("fill model", () => {
  it("rounds to the tick: cents at or above $1, 4 decimals below", () => {
    expect(roundToTick(47.933955)).toBe(47.93);
    expect(roundToTick(0.936384)).toBe(0.9364);
    expect(isOnTick(47.12)).toBe(true);
    expect(isOnTick(47.123)).toBe(false);
    expect(isOnTick(0.1234)).toBe(true);
    expect(isOnTick(0.12345)).toBe(false);
  });

  it("market: the open plus slippage, against the taker", () => {
    expect(priceOnBar(order({ side: "buy", type: "market" }), bar(100, 101, 99, 100), 5)).toEqual({ price: 100.05, atOpen: true });
    expect(priceOnBar(order({ side: "sell", type: "market" }), bar(100, 101, 99, 100), 5)).toEqual({ price: 99.95, atOpen: true });
    expect(priceOnBar(order({ side: "buy", type: "market" }), bar(0.5, 0.6, 0.4, 0.5), 5)).toEqual({ price: 0.5003, atOpen: true });
  });

  it("limit: a touch is not a fill; through it fills at the limit, a gap at the open", () => {
    const buy = order({ side: "buy", type: "limit", limitPrice: 99 });
    expect(priceOnBar(buy, bar(100, 101, 99, 100), 5)).toBeNull();
    expect(priceOnBar(buy, bar(100, 101, 98.99, 100), 5)).toEqual({ price: 99, atOpen: false });
    expect(priceOnBar(buy, bar(98.5, 101, 98, 100), 5)).toEqual({ price: 98.5, atOpen: true });
    const sell = order({ side: "sell", type: "limit", limitPrice: 101 });
    expect(priceOnBar(sell, bar(100, 101, 99, 100), 5)).toBeNull();
    expect(priceOnBar(sell, bar(100, 101.01, 99, 100), 5)).toEqual({ price: 101, atOpen: false });
    expect(priceOnBar(sell, bar(102, 103, 99, 100), 5)).toEqual({ price: 102, atOpen: true });
  });

  it("stop: triggers at the stop (a touch is enough), gaps fill at the open, then it is a market order", () => {
    const sell = order({ side: "sell", type: "stop", stopPrice: 99 });
    expect(priceOnBar(sell, bar(100, 101, 99.01, 100), 0)).toBeNull();
    expect(sell.triggered).toBe(false);
    expect(priceOnBar(sell, bar(100, 101, 99, 100), 0)).toEqual({ price: 99, atOpen: false });
    expect(sell.triggered).toBe(true);
    expect(priceOnBar(sell, bar(95, 96, 94, 95), 0)).toEqual({ price: 95, atOpen: true });
    const gap = order({ side: "sell", type: "stop", stopPrice: 99 });
    expect(priceOnBar(gap, bar(97, 98, 96, 97), 10)).toEqual({ price: 96.9, atOpen: true });
    const buy = order({ side: "buy", type: "stop", stopPrice: 101 });
    expect(priceOnBar(buy, bar(100, 101, 99, 100), 10)).toEqual({ price: 101.1, atOpen: false });
  });

  it("stop_limit: fills on the trigger bar only when the trigger price is through the limit", () => {
    const sell = order({ side: "sell", type: "stop_limit", stopPrice: 99, limitPrice: 98.5 });
    expect(priceOnBar(sell, bar(100, 101, 98, 99), 5)).toEqual({ price: 99, atOpen: false });
    const gapBelowLimit = order({ side: "sell", type: "stop_limit", stopPrice: 99, limitPrice: 98.5 });
    expect(priceOnBar(gapBelowLimit, bar(98, 98.4, 97, 98), 5)).toBeNull();
    expect(gapBelowLimit.triggered).toBe(true);
    expect(priceOnBar(gapBelowLimit, bar(98, 98.6, 97, 98), 5)).toEqual({ price: 98.5, atOpen: false });
  });

  it("trailing stop: mark follows the open before the check and the extreme after it", () => {
    const sell = order({ side: "sell", type: "trailing_stop", trailPrice: 1, hwm: 100 });
    // The bar's own high (103) does not move the stop before its low (101.5) is checked against 99.
    expect(priceOnBar(sell, bar(100, 103, 101.5, 102), 0)).toBeNull();
    expect(sell.hwm).toBe(103);
    expect(sell.stopPrice).toBe(102);
    expect(priceOnBar(sell, bar(102.5, 102.8, 101.9, 102), 0)).toEqual({ price: 102, atOpen: false });
    const buy = order({ side: "buy", type: "trailing_stop", trailPercent: 10, hwm: 50 });
    expect(priceOnBar(buy, bar(56, 57, 55, 56), 0)).toEqual({ price: 56, atOpen: true }); // gap above 55
    expect(trailingStop("sell", 48.549999, 2, null)).toBe(47.58);
  });

  it("capacity: participation × volume, whole shares unless fractional", () => {
    expect(barCapacity(bar(1, 1, 1, 1, 6_199), 0.1, false)).toBe(619);
    expect(barCapacity(bar(1, 1, 1, 1, 6_199), 0.1, true)).toBe(619.9);
    expect(barCapacity(bar(1, 1, 1, 1, 5), 0.1, false)).toBe(0);
    expect(floorQty(1000 / 47.93)).toBe(20.863759649);
  });

  it("auctions: market takes the print plus slippage; a limit needs the print through it", () => {
    expect(auctionPrice({ side: "buy", type: "market", limitPrice: null }, 100, 5)).toBe(100.05);
    expect(auctionPrice({ side: "buy", type: "limit", limitPrice: 100 }, 100, 5)).toBeNull();
    expect(auctionPrice({ side: "buy", type: "limit", limitPrice: 100 }, 99.5, 5)).toBe(99.5);
    expect(auctionPrice({ side: "sell", type: "limit", limitPrice: 100 }, 100.2, 5)).toBe(100.2);
  });
});
