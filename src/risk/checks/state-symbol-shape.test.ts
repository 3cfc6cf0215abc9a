import { describe, expect, it } from "vitest";
import { baseContext, baseIntent, openOrder, position } from "../test-context.js";
import type { OrderIntent, RiskContext, TradingState } from "../types.js";
import { ORDER_SHAPE, orderShapeCheck } from "./order-shape.js";
import { onTick, PRICE_SANITY, priceSanityCheck } from "./price-sanity.js";
import { SYMBOL_ALLOWED, symbolAllowedCheck } from "./symbol-allowed.js";
import { TRADING_STATE, tradingStateCheck } from "./trading-state.js";

describe("TRADING_STATE", () => {
  const withState = (state: TradingState, o: Partial<RiskContext> = {}) => baseContext({ state, ...o });

  it("ACTIVE passes", () => {
    const r = tradingStateCheck(baseIntent(), withState("ACTIVE"));
    expect(r).toMatchObject({ code: TRADING_STATE, passed: true });
  });

  it("HALTED rejects everything, reducing orders included", () => {
    for (const intent of [baseIntent(), baseIntent({ symbol: "AAPL", side: "sell", qty: 10 })]) {
      const r = tradingStateCheck(intent, withState("HALTED"));
      expect(r.passed).toBe(false);
      expect(r.detail).toMatch(/HALTED/);
    }
  });

  describe("REDUCING", () => {
    it("a sell of part or all of a long passes", () => {
      expect(tradingStateCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 30 }), withState("REDUCING")).passed).toBe(true);
      expect(tradingStateCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 80 }), withState("REDUCING")).passed).toBe(true);
    });
    it("a buy covering a short passes", () => {
      const ctx = withState("REDUCING", { positions: [position("TSLA", -30, 250)] });
      expect(tradingStateCheck(baseIntent({ symbol: "TSLA", side: "buy", qty: 30 }), ctx).passed).toBe(true);
    });
    it("opening from flat fails", () => {
      const r = tradingStateCheck(baseIntent(), withState("REDUCING"));
      expect(r.passed).toBe(false);
      expect(r.detail).toMatch(/no MSFT position to reduce/);
    });
    it("a short sale from flat fails", () => {
      expect(tradingStateCheck(baseIntent({ side: "sell" }), withState("REDUCING")).passed).toBe(false);
    });
    it("adding to a position fails", () => {
      const r = tradingStateCheck(baseIntent({ symbol: "AAPL", qty: 5 }), withState("REDUCING"));
      expect(r.passed).toBe(false);
      expect(r.detail).toMatch(/add to the long AAPL position of 80 shares/);
    });
    it("flipping through zero fails", () => {
      const r = tradingStateCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 120 }), withState("REDUCING"));
      expect(r.passed).toBe(false);
      expect(r.detail).toMatch(/flip/);
    });
    it("shares already committed to open sells do not count twice", () => {
      const ctx = withState("REDUCING", { openOrders: [openOrder({ symbol: "AAPL", side: "sell", qty: 60 })] });
      expect(tradingStateCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 20 }), ctx).passed).toBe(true);
      expect(tradingStateCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 40 }), ctx).passed).toBe(false);
    });
  });

  it("an unknown state fails closed", () => {
    const r = tradingStateCheck(baseIntent(), withState("PAUSED" as TradingState));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/PAUSED/);
  });
});

describe("SYMBOL_ALLOWED", () => {
  it("a known tradable symbol passes", () => {
    expect(symbolAllowedCheck(baseIntent(), baseContext())).toMatchObject({ code: SYMBOL_ALLOWED, passed: true });
  });
  it("the restricted list rejects (case-insensitive)", () => {
    const r = symbolAllowedCheck(baseIntent(), baseContext({ limits: { restrictedSymbols: ["msft"] } }));
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("MSFT is on the restricted list.");
  });
  it("an allowed list rejects symbols not on it and passes those on it", () => {
    expect(symbolAllowedCheck(baseIntent(), baseContext({ limits: { allowedSymbols: ["AAPL", "JPM"] } })).passed).toBe(false);
    expect(symbolAllowedCheck(baseIntent(), baseContext({ limits: { allowedSymbols: ["AAPL", "MSFT"] } })).passed).toBe(true);
  });
  it("fails closed on an unknown symbol, a mismatched record or an untradable asset", () => {
    expect(symbolAllowedCheck(baseIntent(), baseContext({ symbol: null })).detail).toMatch(/MSFT is unknown/);
    expect(symbolAllowedCheck(baseIntent(), baseContext({ orderSymbol: "AAPL" })).passed).toBe(false);
    expect(symbolAllowedCheck(baseIntent(), baseContext({ symbol: { symbol: "MSFT", sector: "Technology", tradable: false } })).detail).toMatch(/not tradable/);
    expect(symbolAllowedCheck(baseIntent({ symbol: "" }), baseContext()).passed).toBe(false);
  });
});

describe("ORDER_SHAPE", () => {
  const ok = (o: Partial<OrderIntent>, ctx = baseContext()) => orderShapeCheck(baseIntent(o), ctx);
  const rejects = (o: Partial<OrderIntent>, pattern: RegExp, ctx = baseContext()) => {
    const r = ok(o, ctx);
    expect(r.passed, JSON.stringify(o)).toBe(false);
    expect(r.code).toBe(ORDER_SHAPE);
    expect(r.detail).toMatch(pattern);
  };

  it("valid shapes pass", () => {
    expect(ok({}).passed).toBe(true);
    expect(ok({ type: "limit", limitPrice: 399 }).passed).toBe(true);
    expect(ok({ type: "stop", stopPrice: 390, timeInForce: "gtc" }).passed).toBe(true);
    expect(ok({ type: "stop_limit", stopPrice: 390, limitPrice: 389 }).passed).toBe(true);
    expect(ok({ type: "trailing_stop", side: "sell", trailPercent: 5, timeInForce: "gtc" }).passed).toBe(true);
    expect(ok({ qty: undefined, notional: 500 }).passed).toBe(true);
    expect(ok({ qty: 0.5 }).passed).toBe(true);
    expect(ok({ type: "limit", limitPrice: 399, extendedHours: true }).passed).toBe(true);
    expect(ok({ timeInForce: "cls" }).passed).toBe(true);
    expect(ok({ timeInForce: "opg" }, baseContext({ marketOpen: false })).passed).toBe(true);
    expect(ok({ type: "limit", limitPrice: 399, timeInForce: "ioc" }).passed).toBe(true);
  });
  it("qty XOR notional", () => {
    rejects({ notional: 500 }, /qty or notional, not both/);
    rejects({ qty: undefined }, /needs a qty or a notional/);
  });
  it("limit price required for limit and stop_limit, refused elsewhere", () => {
    rejects({ type: "limit" }, /limit orders need a limit price/);
    rejects({ type: "stop_limit", stopPrice: 390 }, /stop_limit orders need a limit price/);
    rejects({ limitPrice: 399 }, /market orders take no limit price/);
  });
  it("stop price required for stop and stop_limit, refused elsewhere", () => {
    rejects({ type: "stop" }, /stop orders need a stop price/);
    rejects({ type: "stop_limit", limitPrice: 389 }, /stop_limit orders need a stop price/);
    rejects({ type: "limit", limitPrice: 399, stopPrice: 390 }, /limit orders take no stop price/);
  });
  it("trailing stops need exactly one trail and day/gtc", () => {
    rejects({ type: "trailing_stop", side: "sell" }, /exactly one of trailPercent or trailPrice/);
    rejects({ type: "trailing_stop", side: "sell", trailPercent: 5, trailPrice: 10 }, /exactly one/);
    rejects({ type: "trailing_stop", side: "sell", trailPercent: 5, timeInForce: "ioc" }, /day or gtc/);
    rejects({ trailPercent: 5 }, /market orders take no trailPercent/);
  });
  it("notional only with market + day", () => {
    rejects({ qty: undefined, notional: 500, timeInForce: "gtc" }, /notional orders must be market orders with time in force day/);
    rejects({ qty: undefined, notional: 500, type: "limit", limitPrice: 399 }, /notional orders must be market/);
  });
  it("fractional qty only with market + day", () => {
    rejects({ qty: 0.5, timeInForce: "gtc" }, /fractional quantities/);
    rejects({ qty: 1.5, type: "limit", limitPrice: 399 }, /fractional quantities/);
  });
  it("extendedHours only with limit + day", () => {
    rejects({ extendedHours: true }, /extended-hours orders must be limit orders with time in force day/);
    rejects({ type: "limit", limitPrice: 399, timeInForce: "gtc", extendedHours: true }, /extended-hours/);
  });
  it("opg / cls only market or limit; opg not once the session is open", () => {
    rejects({ type: "stop", stopPrice: 390, timeInForce: "opg" }, /opg orders must be market or limit/);
    rejects({ type: "stop", stopPrice: 390, timeInForce: "cls" }, /cls orders must be market or limit/);
    rejects({ timeInForce: "opg" }, /session is already open/);
  });
  it("unknown type, side or time in force fail", () => {
    rejects({ type: "iceberg" as OrderIntent["type"] }, /type "iceberg"/);
    rejects({ side: "hold" as OrderIntent["side"] }, /side "hold"/);
    rejects({ timeInForce: "gtd" as OrderIntent["timeInForce"] }, /time in force "gtd"/);
  });
  it("lists every problem at once", () => {
    const r = ok({ type: "limit", notional: 500, extendedHours: true, timeInForce: "gtc" });
    expect(r.detail.split(";").length).toBeGreaterThanOrEqual(3);
  });
  it("a market order while the session is closed passes with a warning", () => {
    const r = ok({}, baseContext({ marketOpen: false }));
    expect(r.passed).toBe(true);
    expect(r.warning).toMatch(/next open/);
  });
});

describe("PRICE_SANITY", () => {
  const check = (o: Partial<OrderIntent>) => priceSanityCheck(baseIntent(o), baseContext());
  it("positive finite numbers on the tick grid pass", () => {
    expect(check({ type: "limit", limitPrice: 399.99 })).toMatchObject({ code: PRICE_SANITY, passed: true });
    expect(check({ symbol: "PENNY", type: "limit", limitPrice: 0.4213 }).passed).toBe(true);
    expect(check({ type: "stop_limit", stopPrice: 1.01, limitPrice: 1.02 }).passed).toBe(true);
  });
  it("≥ $1 must be whole cents; < $1 at most 4 decimals", () => {
    expect(check({ type: "limit", limitPrice: 399.995 }).detail).toMatch(/limit price 399.995 is off the tick grid \(whole cents/);
    expect(check({ type: "limit", limitPrice: 0.42135 }).detail).toMatch(/at most 4 decimals below \$1/);
    expect(check({ type: "stop", stopPrice: 12.345 }).passed).toBe(false);
    expect(onTick(19.99)).toBe(true);
    expect(onTick(0.1234)).toBe(true);
    expect(onTick(1.001)).toBe(false);
  });
  it("qty must be > 0 and finite; prices positive", () => {
    expect(check({ qty: 0 }).passed).toBe(false);
    expect(check({ qty: -5 }).passed).toBe(false);
    expect(check({ qty: Number.POSITIVE_INFINITY }).passed).toBe(false);
    expect(check({ qty: Number.NaN }).passed).toBe(false);
    expect(check({ type: "limit", limitPrice: -1 }).passed).toBe(false);
    expect(check({ type: "limit", limitPrice: 0 }).passed).toBe(false);
    expect(check({ stopLoss: 0 }).passed).toBe(false);
    expect(check({ type: "trailing_stop", trailPercent: 150 }).passed).toBe(false);
  });
  it("notional must be at least $1", () => {
    expect(check({ qty: undefined, notional: 0.5 }).detail).toMatch(/below the \$1 minimum/);
  });
});
