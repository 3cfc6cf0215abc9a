import { describe, expect, it } from "vitest";
import { baseAccount, baseContext, baseIntent, openOrder, position, basePositions } from "../test-context.js";
import { BUYING_POWER, buyingPowerCheck } from "./buying-power.js";
import { GROSS_EXPOSURE, grossExposureCheck } from "./gross-exposure.js";
import { MAX_OPEN_POSITIONS, maxOpenPositionsCheck } from "./max-open-positions.js";
import { POSITION_LIMIT, positionLimitCheck } from "./position-limit.js";
import { POSITION_SIZE, positionSizeCheck } from "./position-size.js";
import { SECTOR_CONCENTRATION, sectorConcentrationCheck } from "./sector-concentration.js";
import { SHORTING, shortingCheck } from "./shorting.js";

describe("POSITION_SIZE", () => {
  it("risk at the default 2 × ATR stop within 1% of equity passes", () => {
    const r = positionSizeCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: POSITION_SIZE, passed: true });
    expect(r.detail).toMatch(/20 shares × \$16.00 to the default stop \$384.00 \(2 × ATR \$8.00\) = \$320.00 at risk, within the \$1,000 budget/);
  });
  it("too much risk fails with the numbers", () => {
    const r = positionSizeCheck(baseIntent({ qty: 70 }), baseContext());
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/= \$1,120 at risk, above the \$1,000 budget \(1% of \$100,000 equity\)/);
  });
  it("a tighter explicit stop allows more shares; the limit price is the entry", () => {
    expect(positionSizeCheck(baseIntent({ qty: 70, stopLoss: 390 }), baseContext()).passed).toBe(true);
    expect(positionSizeCheck(baseIntent({ qty: 100, type: "limit", limitPrice: 390, stopLoss: 380 }), baseContext()).passed).toBe(true);
    expect(positionSizeCheck(baseIntent({ qty: 101, type: "limit", limitPrice: 390, stopLoss: 380 }), baseContext()).passed).toBe(false);
  });
  it("a stop on the wrong side fails", () => {
    expect(positionSizeCheck(baseIntent({ stopLoss: 410 }), baseContext()).detail).toMatch(/wrong side.*long's stop must be below/);
    expect(positionSizeCheck(baseIntent({ side: "sell", stopLoss: 390 }), baseContext()).detail).toMatch(/short's stop must be above/);
    expect(positionSizeCheck(baseIntent({ side: "sell", qty: 10, stopLoss: 410 }), baseContext()).passed).toBe(true);
  });
  it("fails closed without a stop or ATR, without equity, or without any price", () => {
    expect(positionSizeCheck(baseIntent(), baseContext({ atr: null })).detail).toMatch(/ATR is unknown/);
    expect(positionSizeCheck(baseIntent({ stopLoss: 390 }), baseContext({ atr: null })).passed).toBe(true);
    expect(positionSizeCheck(baseIntent(), baseContext({ equity: null, account: null })).detail).toMatch(/equity is unknown/);
    expect(positionSizeCheck(baseIntent(), baseContext({ price: null })).detail).toMatch(/No entry price/);
  });
  it("reducing orders pass without sizing", () => {
    expect(positionSizeCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 80 }), baseContext({ orderSymbol: "AAPL", atr: null })).passed).toBe(true);
  });
});

describe("POSITION_LIMIT", () => {
  it("position after the order within 20% of equity passes", () => {
    const r = positionLimitCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: POSITION_LIMIT, passed: true });
    expect(r.detail).toBe("MSFT position after the order $8,000 (8% of $100,000 equity) within the 20% cap of $20,000.");
  });
  it("a new position over the cap fails", () => {
    expect(positionLimitCheck(baseIntent({ qty: 60 }), baseContext()).detail).toMatch(/\$24,000 \(24% of \$100,000 equity\) exceeds the 20% per-symbol cap of \$20,000/);
  });
  it("adding to an existing position counts what is held", () => {
    expect(positionLimitCheck(baseIntent({ symbol: "AAPL", qty: 10 }), baseContext({ orderSymbol: "AAPL" })).detail).toMatch(/\$20,700/);
  });
  it("open orders in the symbol count", () => {
    const ctx = baseContext({ openOrders: [openOrder({ symbol: "MSFT", side: "buy", qty: 35, limitPrice: 400 })] });
    expect(positionLimitCheck(baseIntent(), ctx).passed).toBe(false);
  });
  it("reducing passes; missing price or equity fails closed", () => {
    expect(positionLimitCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 10 }), baseContext({ orderSymbol: "AAPL" })).passed).toBe(true);
    expect(positionLimitCheck(baseIntent(), baseContext({ price: null })).passed).toBe(false);
    expect(positionLimitCheck(baseIntent(), baseContext({ equity: null, account: null })).passed).toBe(false);
  });
});

describe("GROSS_EXPOSURE", () => {
  it("positions + order within 100% of equity passes", () => {
    const r = grossExposureCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: GROSS_EXPOSURE, passed: true });
    expect(r.detail).toMatch(/\$57,900 \(57.9% of \$100,000 equity\)/);
  });
  it("open orders count and can push it over", () => {
    const ctx = baseContext({ openOrders: [openOrder({ symbol: "NVDA", side: "buy", qty: 200, limitPrice: 180 })] });
    expect(grossExposureCheck(baseIntent(), ctx).passed).toBe(true); // 93,900
    const r = grossExposureCheck(baseIntent({ qty: 40 }), ctx); // 101,900
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/\$101,900 \(101.9% of \$100,000 equity\) exceeds the 100% cap of \$100,000/);
  });
  it("shorts count at their absolute value", () => {
    const ctx = baseContext({ positions: [...basePositions(), position("TSLA", -150, 250)] }); // +37,500
    expect(grossExposureCheck(baseIntent({ qty: 40 }), ctx).passed).toBe(false);
  });
  it("fails closed on an open order nobody can price", () => {
    const ctx = baseContext({ openOrders: [openOrder({ symbol: "ZZZZ", side: "buy", type: "market", qty: 5 })] });
    expect(grossExposureCheck(baseIntent(), ctx).detail).toMatch(/Cannot value ZZZZ/);
  });
  it("reducing orders pass even over the cap", () => {
    const ctx = baseContext({ equity: { current: 40_000 } });
    expect(grossExposureCheck(baseIntent(), ctx).passed).toBe(false);
    expect(grossExposureCheck(baseIntent({ symbol: "XOM", side: "sell", qty: 50 }), ctx).passed).toBe(true);
  });
});

describe("MAX_OPEN_POSITIONS", () => {
  it("a new symbol under the cap passes", () => {
    expect(maxOpenPositionsCheck(baseIntent(), baseContext())).toMatchObject({ code: MAX_OPEN_POSITIONS, passed: true });
  });
  it("a new symbol at the cap fails", () => {
    const r = maxOpenPositionsCheck(baseIntent(), baseContext({ limits: { maxOpenPositions: 3 } }));
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("Opening MSFT would be a new position, and 3 positions are already open (cap 3).");
  });
  it("adding to or reducing a held symbol at the cap passes", () => {
    const ctx = baseContext({ limits: { maxOpenPositions: 3 } });
    expect(maxOpenPositionsCheck(baseIntent({ symbol: "AAPL" }), ctx).passed).toBe(true);
    expect(maxOpenPositionsCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 5 }), ctx).passed).toBe(true);
  });
  it("symbols with pending open orders count", () => {
    const ctx = baseContext({ limits: { maxOpenPositions: 4 }, openOrders: [openOrder({ symbol: "NVDA", side: "buy" })] });
    expect(maxOpenPositionsCheck(baseIntent(), ctx).detail).toMatch(/4 \(3 held \+ 1 with open orders\)/);
    expect(maxOpenPositionsCheck(baseIntent({ symbol: "NVDA" }), ctx).passed).toBe(true);
  });
});

describe("SECTOR_CONCENTRATION", () => {
  it("sector exposure after the order within 30% passes", () => {
    const r = sectorConcentrationCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: SECTOR_CONCENTRATION, passed: true });
    expect(r.detail).toMatch(/^Technology exposure after the order, with open orders, \$26,400 \(26.4%/);
  });
  it("over the sector cap fails", () => {
    expect(sectorConcentrationCheck(baseIntent({ qty: 30 }), baseContext()).detail).toMatch(/\$30,400 .* exceeds the 30% sector cap of \$30,000/);
  });
  it("open orders in the sector count", () => {
    const ctx = baseContext({ openOrders: [openOrder({ symbol: "NVDA", side: "buy", qty: 30, limitPrice: 180 })] });
    expect(sectorConcentrationCheck(baseIntent(), ctx).passed).toBe(false); // 31,800
  });
  it("other sectors do not count", () => {
    expect(sectorConcentrationCheck(baseIntent({ symbol: "CVX", qty: 90 }), baseContext({ orderSymbol: "CVX" })).passed).toBe(true); // Energy 16,500 + 13,500
    expect(sectorConcentrationCheck(baseIntent({ symbol: "CVX", qty: 91 }), baseContext({ orderSymbol: "CVX" })).passed).toBe(false);
  });
  it("an unknown sector for an opening order fails closed", () => {
    const ctx = baseContext({ symbol: { symbol: "MSFT", sector: null, tradable: true }, sectorOf: () => null });
    const r = sectorConcentrationCheck(baseIntent(), ctx);
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/sector of MSFT is unknown/);
  });
  it("falls back to sectorOf when the symbol record has none", () => {
    expect(sectorConcentrationCheck(baseIntent(), baseContext({ symbol: { symbol: "MSFT", sector: null, tradable: true } })).passed).toBe(true);
  });
  it("holdings with an unknown sector are named in a warning", () => {
    const ctx = baseContext({ positions: [...basePositions(), position("MYST", 10, 50)] });
    expect(sectorConcentrationCheck(baseIntent(), ctx).warning).toMatch(/Sector unknown for MYST/);
  });
  it("reducing orders pass even with an unknown sector", () => {
    const ctx = baseContext({ orderSymbol: "AAPL", symbol: { symbol: "AAPL", sector: null, tradable: true }, sectorOf: () => null });
    expect(sectorConcentrationCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 10 }), ctx).passed).toBe(true);
  });
  it("missing price or equity fails closed", () => {
    expect(sectorConcentrationCheck(baseIntent(), baseContext({ price: null })).passed).toBe(false);
    expect(sectorConcentrationCheck(baseIntent(), baseContext({ equity: null, account: null })).passed).toBe(false);
  });
});

describe("BUYING_POWER", () => {
  it("cost within buying power passes", () => {
    const r = buyingPowerCheck(baseIntent(), baseContext());
    expect(r).toMatchObject({ code: BUYING_POWER, passed: true });
    expect(r.detail).toBe("Order cost $8,000 within the $100,200 buying power.");
  });
  it("cost over buying power fails", () => {
    const r = buyingPowerCheck(baseIntent(), baseContext({ account: baseAccount({ buyingPower: 5_000 }) }));
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("Order cost $8,000 exceeds the $5,000 buying power.");
  });
  it("open buy orders count", () => {
    const ctx = baseContext({ account: baseAccount({ buyingPower: 20_000 }), openOrders: [openOrder({ symbol: "NVDA", side: "buy", qty: 70, limitPrice: 180 })] });
    expect(buyingPowerCheck(baseIntent(), ctx).detail).toBe("Order cost $8,000 + $12,600 in open buy orders = $20,600 exceeds the $20,000 buying power.");
    const notional = baseContext({ account: baseAccount({ buyingPower: 9_000 }), openOrders: [openOrder({ symbol: "NVDA", side: "buy", type: "market", qty: null, notional: 1_500, limitPrice: null })] });
    expect(buyingPowerCheck(baseIntent(), notional).passed).toBe(false);
  });
  it("a buy limit above the reference costs its limit", () => {
    expect(buyingPowerCheck(baseIntent({ type: "limit", limitPrice: 410 }), baseContext({ account: baseAccount({ buyingPower: 8_100 }) })).passed).toBe(false);
  });
  it("selling shares held needs no buying power; a short sale does", () => {
    const poor = baseAccount({ buyingPower: 100 });
    expect(buyingPowerCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 80 }), baseContext({ orderSymbol: "AAPL", account: poor })).passed).toBe(true);
    const r = buyingPowerCheck(baseIntent({ side: "sell", qty: 10 }), baseContext({ account: baseAccount({ buyingPower: 3_000 }) }));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/Short sale of 10 shares \$4,000 exceeds/);
  });
  it("fails closed without an account, a price, or a way to value an open buy", () => {
    expect(buyingPowerCheck(baseIntent(), baseContext({ account: null })).detail).toMatch(/No account information/);
    expect(buyingPowerCheck(baseIntent(), baseContext({ price: null })).passed).toBe(false);
    const ctx = baseContext({ openOrders: [openOrder({ symbol: "ZZZZ", side: "buy", type: "market", qty: 5, limitPrice: null })] });
    expect(buyingPowerCheck(baseIntent(), ctx).detail).toMatch(/Cannot value the open ZZZZ buy order/);
  });
});

describe("SHORTING", () => {
  it("buys and sells of shares held pass", () => {
    expect(shortingCheck(baseIntent(), baseContext())).toMatchObject({ code: SHORTING, passed: true });
    expect(shortingCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 80 }), baseContext({ orderSymbol: "AAPL" })).passed).toBe(true);
  });
  it("an oversell fails when shorting is disabled", () => {
    const r = shortingCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 100 }), baseContext({ orderSymbol: "AAPL" }));
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("Oversell: selling 100 AAPL against the 80 shares held would sell 20 shares short, and short selling is disabled.");
  });
  it("open sell orders count toward an oversell", () => {
    const ctx = baseContext({ orderSymbol: "AAPL", openOrders: [openOrder({ symbol: "AAPL", side: "sell", type: "stop", stopPrice: 210, qty: 80, limitPrice: null, timeInForce: "gtc" })] });
    const r = shortingCheck(baseIntent({ symbol: "AAPL", side: "sell", qty: 10 }), ctx);
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/80 already in open sell orders/);
  });
  it("a short from flat fails unless allowShort", () => {
    expect(shortingCheck(baseIntent({ side: "sell", qty: 10 }), baseContext()).detail).toMatch(/no MSFT position.*short selling is disabled/);
    const r = shortingCheck(baseIntent({ side: "sell", qty: 10 }), baseContext({ limits: { allowShort: true } }));
    expect(r.passed).toBe(true);
    expect(r.warning).toMatch(/short of 10 MSFT shares/);
  });
  it("with allowShort, shorts must be whole shares given as qty", () => {
    const ctx = baseContext({ limits: { allowShort: true } });
    expect(shortingCheck(baseIntent({ side: "sell", qty: undefined, notional: 1000 }), ctx).passed).toBe(false);
    expect(shortingCheck(baseIntent({ side: "sell", qty: 2.5 }), ctx).passed).toBe(false);
  });
  it("adding to a short fails unless allowShort", () => {
    const ctx = baseContext({ positions: [position("MSFT", -10)] });
    expect(shortingCheck(baseIntent({ side: "sell", qty: 5 }), ctx).detail).toMatch(/existing short of 10 shares/);
  });
  it("fails closed on a notional sell it cannot size", () => {
    expect(shortingCheck(baseIntent({ side: "sell", qty: undefined, notional: 1000 }), baseContext({ price: null })).passed).toBe(false);
  });
});
