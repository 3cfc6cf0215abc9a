import { describe, expect, it } from "vitest";
import {
  AlpacaMappingError, decimalString, mapAccount, mapCalendarDay, mapClock, mapFillActivity, mapOrder, mapPosition,
  parseAlpacaTime, toFill, toGetAllOrdersRequest, toPostOrderRequest,
} from "./mapping.js";

// Shapes as documented by Alpaca (docs.alpaca.markets, Trading API v2).
const ORDER = {
  id: "61e69015-8549-4bfd-b9c3-01e75843f47d",
  client_order_id: "prop_01HXYZ",
  created_at: "2021-03-16T18:38:01.942282Z",
  updated_at: "2021-03-16T18:38:01.942282Z",
  submitted_at: "2021-03-16T18:38:01.937734Z",
  filled_at: null,
  expired_at: null,
  canceled_at: null,
  failed_at: null,
  replaced_at: null,
  replaced_by: null,
  replaces: null,
  asset_id: "b0b6dd9d-8b9b-48a9-ba46-b9d54906e415",
  symbol: "AAPL",
  asset_class: "us_equity",
  notional: null,
  qty: "10",
  filled_qty: "0",
  filled_avg_price: null,
  order_class: "",
  order_type: "limit",
  type: "limit",
  side: "buy",
  time_in_force: "day",
  limit_price: "151.23",
  stop_price: null,
  status: "new",
  extended_hours: false,
  legs: null,
  trail_percent: null,
  trail_price: null,
  hwm: null,
};

describe("Alpaca mapping", () => {
  it("maps an order: decimal strings to numbers, RFC 3339 to epoch ms, nulls kept", () => {
    const o = mapOrder(ORDER);
    expect(o).toEqual({
      id: ORDER.id,
      clientOrderId: "prop_01HXYZ",
      symbol: "AAPL",
      side: "buy",
      type: "limit",
      timeInForce: "day",
      qty: 10,
      notional: null,
      filledQty: 0,
      filledAvgPrice: null,
      limitPrice: 151.23,
      stopPrice: null,
      trailPercent: null,
      trailPrice: null,
      hwm: null,
      status: "new",
      extendedHours: false,
      createdAt: Date.parse("2021-03-16T18:38:01.942Z"),
      submittedAt: Date.parse("2021-03-16T18:38:01.937Z"),
      updatedAt: Date.parse("2021-03-16T18:38:01.942Z"),
      filledAt: null,
      canceledAt: null,
      expiredAt: null,
      failedAt: null,
      rejectReason: null,
    });
  });

  it("maps a filled trailing stop and a notional order", () => {
    const filled = mapOrder({
      ...ORDER, type: "trailing_stop", order_type: "trailing_stop", side: "sell", limit_price: null, trail_percent: "2.5", hwm: "160.5",
      status: "filled", filled_qty: "10", filled_avg_price: "157.1", filled_at: "2021-03-16T19:00:00.123456789Z",
    });
    expect(filled).toMatchObject({ type: "trailing_stop", side: "sell", trailPercent: 2.5, hwm: 160.5, status: "filled", filledQty: 10, filledAvgPrice: 157.1, filledAt: Date.parse("2021-03-16T19:00:00.123Z") });
    const notional = mapOrder({ ...ORDER, type: "market", order_type: "market", qty: null, notional: "500", limit_price: null });
    expect(notional).toMatchObject({ qty: null, notional: 500, limitPrice: null });
  });

  it("keeps unknown statuses open and maps accepted_for_bidding to accepted", () => {
    expect(mapOrder({ ...ORDER, status: "accepted_for_bidding" }).status).toBe("accepted");
    expect(mapOrder({ ...ORDER, status: "some_future_status" }).status).toBe("pending_new");
    expect(mapOrder({ ...ORDER, status: "canceled", canceled_at: "2021-03-16T18:40:00Z" }).canceledAt).toBe(Date.parse("2021-03-16T18:40:00Z"));
  });

  it("fails loudly on a garbled or missing field instead of guessing", () => {
    expect(() => mapOrder({ ...ORDER, qty: "ten" })).toThrow(AlpacaMappingError);
    expect(() => mapOrder({ ...ORDER, created_at: undefined })).toThrow(/created_at/);
    expect(() => mapOrder({ ...ORDER, type: "bracket_thing", order_type: undefined })).toThrow(/order.type/);
    expect(() => mapOrder({ ...ORDER, side: "sideways" })).toThrow(/side/);
    expect(() => mapOrder([ORDER])).toThrow(/not a JSON object/);
  });

  it("parses Alpaca times with micro- and nanoseconds and offsets", () => {
    expect(parseAlpacaTime("2024-01-02T09:30:00-05:00")).toBe(Date.parse("2024-01-02T14:30:00Z"));
    expect(parseAlpacaTime("2024-01-02T14:30:00.1Z")).toBe(Date.parse("2024-01-02T14:30:00.100Z"));
    expect(parseAlpacaTime("2024-01-02T14:30:00.999999999Z")).toBe(Date.parse("2024-01-02T14:30:00.999Z"));
    expect(() => parseAlpacaTime("yesterday")).toThrow(AlpacaMappingError);
  });

  it("maps a position, with short quantities negative", () => {
    const long = {
      asset_id: "904837e3-3b76-47ec-b432-046db621571b", symbol: "AAPL", exchange: "NASDAQ", asset_class: "us_equity",
      avg_entry_price: "100.0", qty: "5", qty_available: "5", side: "long", market_value: "600.0", cost_basis: "500.0",
      unrealized_pl: "100.0", unrealized_plpc: "0.20", unrealized_intraday_pl: "10.0", unrealized_intraday_plpc: "0.0084",
      current_price: "120.0", lastday_price: "119.0", change_today: "0.0084",
    };
    expect(mapPosition(long, 1_700_000_000_000)).toEqual({
      symbol: "AAPL", qty: 5, side: "long", avgEntryPrice: 100, costBasis: 500, currentPrice: 120, priceAsOf: 1_700_000_000_000,
      marketValue: 600, unrealizedPl: 100, unrealizedPlpc: 0.2,
    });
    const short = mapPosition({ ...long, qty: "-3", side: "short", market_value: "-360", cost_basis: "-300", unrealized_pl: "-60", unrealized_plpc: "-0.2" }, 0);
    expect(short).toMatchObject({ qty: -3, side: "short", marketValue: -360 });
    // A proxy that drops the sign still yields a negative short.
    expect(mapPosition({ ...long, qty: "3", side: "short" }, 0).qty).toBe(-3);
    // No current price: derived from the market value.
    expect(mapPosition({ ...long, current_price: null }, 0).currentPrice).toBe(120);
  });

  it("maps the account; realised P&L is not provided by Alpaca and reads 0", () => {
    const a = mapAccount({
      id: "e6fe16f3-64a4-4921-8928-cadf02f92f98", account_number: "010203ABCD", status: "ACTIVE", currency: "USD",
      cash: "-23140.2", portfolio_value: "103820.56", pattern_day_trader: false, trading_blocked: false, transfers_blocked: false,
      account_blocked: false, created_at: "2019-06-12T22:47:07.99658Z", trade_suspended_by_user: false, multiplier: "4",
      shorting_enabled: true, equity: "103820.56", last_equity: "103529.24", long_market_value: "126960.76",
      short_market_value: "0", initial_margin: "63480.38", maintenance_margin: "38088.23", sma: "0", daytrade_count: 2,
      buying_power: "80680.36", regt_buying_power: "80680.36", daytrading_buying_power: "0",
    });
    expect(a).toEqual({
      currency: "USD", cash: -23140.2, equity: 103820.56, lastEquity: 103529.24, buyingPower: 80680.36, longMarketValue: 126960.76,
      shortMarketValue: 0, realizedPl: 0, daytradeCount: 2, patternDayTrader: false, tradingBlocked: false, status: "ACTIVE",
    });
    expect(mapAccount({ cash: "1", equity: "1", last_equity: "1", buying_power: "1", status: "ACTIVE", account_blocked: true }).tradingBlocked).toBe(true);
    expect(() => mapAccount({ cash: "1", equity: "1", last_equity: "1", buying_power: "1", status: "ACTIVE", currency: "EUR" })).toThrow(/USD/);
  });

  it("maps a FILL activity (sell_short is a sell) and attaches the client id", () => {
    const a = mapFillActivity({
      activity_type: "FILL", cum_qty: "1", id: "20190524113406977::8efc7b9a-8b2b-4000-9955-d36e7db0df74", leaves_qty: "0",
      price: "1.63", qty: "1", side: "sell_short", symbol: "LPCN", transaction_time: "2019-05-24T15:34:06.977Z",
      order_id: "904837e3-3b76-47ec-b432-046db621571b", type: "fill", order_status: "filled",
    });
    expect(toFill(a, "prop_1")).toEqual({
      id: "20190524113406977::8efc7b9a-8b2b-4000-9955-d36e7db0df74", orderId: "904837e3-3b76-47ec-b432-046db621571b",
      clientOrderId: "prop_1", symbol: "LPCN", side: "sell", qty: 1, price: 1.63, t: Date.parse("2019-05-24T15:34:06.977Z"),
    });
  });

  it("maps the clock and calendar days in exchange time", () => {
    expect(mapClock({ timestamp: "2024-01-02T10:00:00.5-05:00", is_open: true, next_open: "2024-01-03T09:30:00-05:00", next_close: "2024-01-02T16:00:00-05:00" })).toEqual({
      timestamp: Date.parse("2024-01-02T15:00:00.500Z"), isOpen: true, nextOpen: Date.parse("2024-01-03T14:30:00Z"), nextClose: Date.parse("2024-01-02T21:00:00Z"),
    });
    // Winter (EST) and summer (EDT), and a half day.
    expect(mapCalendarDay({ date: "2024-01-02", open: "09:30", close: "16:00", session_open: "0400", session_close: "2000", settlement_date: "2024-01-04" })).toEqual({
      date: "2024-01-02", open: Date.parse("2024-01-02T14:30:00Z"), close: Date.parse("2024-01-02T21:00:00Z"),
      sessionOpen: Date.parse("2024-01-02T09:00:00Z"), sessionClose: Date.parse("2024-01-03T01:00:00Z"),
    });
    expect(mapCalendarDay({ date: "2024-07-03", open: "09:30", close: "13:00" })).toMatchObject({
      open: Date.parse("2024-07-03T13:30:00Z"), close: Date.parse("2024-07-03T17:00:00Z"), sessionOpen: null, sessionClose: null,
    });
  });

  it("writes requests as Alpaca decimal strings, never in exponent form", () => {
    expect(decimalString(10)).toBe("10");
    expect(decimalString(0.1)).toBe("0.1");
    expect(decimalString(1e-7)).toBe("0.0000001");
    expect(() => decimalString(Number.NaN)).toThrow();
    expect(toPostOrderRequest({ symbol: "AAPL", side: "buy", type: "stop_limit", timeInForce: "gtc", qty: 2.5, limitPrice: 101, stopPrice: 100.5, extendedHours: false, clientOrderId: "c1" })).toEqual({
      symbol: "AAPL", side: "buy", type: "stop_limit", timeInForce: "gtc", qty: "2.5", limitPrice: "101", stopPrice: "100.5", extendedHours: false, clientOrderId: "c1",
    });
    expect(toPostOrderRequest({ symbol: "AAPL", side: "sell", type: "trailing_stop", timeInForce: "day", qty: 1, trailPercent: 3, clientOrderId: "c2" })).toEqual({
      symbol: "AAPL", side: "sell", type: "trailing_stop", timeInForce: "day", qty: "1", trailPercent: "3", clientOrderId: "c2",
    });
  });

  it("builds the order list query: ISO bounds, joined symbols, capped limit, newest first", () => {
    expect(toGetAllOrdersRequest({ status: "all", limit: 9999, after: Date.parse("2024-01-02T00:00:00Z"), until: Date.parse("2024-01-03T00:00:00Z"), symbols: ["AAPL", "MSFT"] })).toEqual({
      status: "all", limit: 500, direction: "desc", after: "2024-01-02T00:00:00.000Z", until: "2024-01-03T00:00:00.000Z", symbols: "AAPL,MSFT",
    });
    expect(toGetAllOrdersRequest({ status: "open", limit: 50 })).toEqual({ status: "open", limit: 50, direction: "desc" });
  });
});
