import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BrokerError, type OrderRequest } from "../types.js";
import { PaperBroker } from "./paper-broker.js";
import { buySlip, cents, DAILY_DIR, HAVE_DAILY, ny, paperHarness, readDaily, sellSlip, SKIP_REASON, type PaperHarness } from "./test-support.js";

const AAPL_CSV = join(DAILY_DIR, "AAPL.csv");
const JPM_CSV = join(DAILY_DIR, "JPM.csv");

/** Friday 2018-06-01, 17:00 New York: that session has closed, the next is Monday 06-04. */
const FRI_EVE = ny("2018-06-01 17:00");
const eve = (date: string) => ny(`${date} 17:00`);

async function rejected(p: Promise<unknown>, message?: RegExp): Promise<BrokerError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BrokerError);
    expect((e as BrokerError).kind).toBe("REJECTED");
    if (message) expect((e as BrokerError).message).toMatch(message);
    return e as BrokerError;
  }
  throw new Error("expected a REJECTED BrokerError");
}

let seq = 0;
const req = (r: Partial<OrderRequest> & Pick<OrderRequest, "side">): OrderRequest => ({
  symbol: "AAPL",
  type: "market",
  timeInForce: "day",
  qty: 100,
  clientOrderId: `c-${++seq}`,
  ...r,
});

describe.skipIf(!HAVE_DAILY)(`PaperBroker on real daily bars (AAPL, JPM 2018) — ${SKIP_REASON}`, () => {
  const d = HAVE_DAILY ? readDaily(AAPL_CSV) : new Map();
  const bar = (date: string) => {
    const b = d.get(date);
    if (!b) throw new Error(`no AAPL bar on ${date}`);
    return b;
  };
  let h: PaperHarness;
  afterEach(() => h?.t.cleanup());
  const setup = (now: number, broker?: ConstructorParameters<typeof PaperBroker>[3]) => {
    h = paperHarness({ now, files: [AAPL_CSV, JPM_CSV], ...(broker ? { broker } : {}) });
    return h;
  };

  it("a market buy after Friday's close fills at Monday's open × (1 + 5 bps), and not before that bar is complete", async () => {
    setup(FRI_EVE);
    const o = await h.broker.submitOrder(req({ side: "buy", qty: 100 }));
    expect(o).toMatchObject({ status: "new", filledQty: 0, filledAvgPrice: null, symbol: "AAPL", qty: 100 });
    // The clock has not moved: no bar has started since the order, nothing fills.
    expect((await h.broker.getOrder(o.id)).status).toBe("new");
    h.at(ny("2018-06-04 12:00")); // Monday's daily bar is still forming
    expect((await h.broker.getOrder(o.id)).status).toBe("new");
    expect(await h.broker.fills()).toEqual([]);

    h.at(h.close("2018-06-04"));
    const price = buySlip(bar("2018-06-04").open);
    expect(price).toBe(47.93); // 47.91 × 1.0005 = 47.9340 → 47.93
    const filled = await h.broker.getOrder(o.id);
    expect(filled).toMatchObject({ status: "filled", filledQty: 100, filledAvgPrice: price, filledAt: h.open("2018-06-04") });
    const fills = await h.broker.fills();
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ orderId: o.id, clientOrderId: o.clientOrderId, symbol: "AAPL", side: "buy", qty: 100, price, t: h.open("2018-06-04") });
    const [pos] = await h.broker.positions();
    expect(pos).toMatchObject({ symbol: "AAPL", qty: 100, side: "long", avgEntryPrice: price, currentPrice: bar("2018-06-04").close, priceAsOf: h.close("2018-06-04") });
    expect(pos!.unrealizedPl).toBeCloseTo(100 * (bar("2018-06-04").close - price), 9);
    const acct = await h.broker.account();
    expect(acct.cash).toBeCloseTo(100_000 - 100 * price, 6);
    expect(acct.equity).toBeCloseTo(acct.cash + 100 * bar("2018-06-04").close, 6);
    expect(acct).toMatchObject({ currency: "USD", status: "ACTIVE", patternDayTrader: false, tradingBlocked: false, shortMarketValue: 0, daytradeCount: 0 });
  });

  it("limits fill only when the price trades through them, at the better of limit and open", async () => {
    setup(FRI_EVE);
    // 06-08 trades through 47.50 (low 47.4425) after opening above it (47.7925): filled at the limit, inside the bar.
    const inside = await h.broker.submitOrder(req({ side: "buy", type: "limit", timeInForce: "gtc", qty: 10, limitPrice: 47.5 }));
    h.at(eve("2018-06-05"));
    // 06-06's low is exactly 47.98: touching is not trading through. 06-08 opens below it: filled at the open.
    const touch = await h.broker.submitOrder(req({ side: "buy", type: "limit", timeInForce: "gtc", qty: 10, limitPrice: 47.98 }));
    expect(bar("2018-06-06").low).toBe(47.98);

    h.at(eve("2018-06-07"));
    expect((await h.broker.getOrder(inside.id)).status).toBe("new");
    expect((await h.broker.getOrder(touch.id)).status).toBe("new");

    h.at(eve("2018-06-08"));
    const b = bar("2018-06-08");
    expect(b.low).toBeLessThan(47.5);
    expect(b.open).toBeGreaterThan(47.5);
    expect(await h.broker.getOrder(inside.id)).toMatchObject({ status: "filled", filledAvgPrice: 47.5, filledAt: h.close("2018-06-08") });
    expect(b.open).toBeLessThan(47.98);
    expect(await h.broker.getOrder(touch.id)).toMatchObject({ status: "filled", filledAvgPrice: cents(b.open), filledAt: h.open("2018-06-08") });
    expect(cents(b.open)).toBe(47.79);
  });

  it("sell limits: through the limit inside the bar at the limit, a gap above it at the open", async () => {
    setup(FRI_EVE);
    await h.broker.submitOrder(req({ side: "buy", qty: 100 }));
    h.at(eve("2018-06-04"));
    const inside = await h.broker.submitOrder(req({ side: "sell", type: "limit", timeInForce: "gtc", qty: 50, limitPrice: 48.4 }));
    h.at(eve("2018-06-05"));
    // 06-05: open 48.2675 < 48.40 < high 48.485.
    expect(await h.broker.getOrder(inside.id)).toMatchObject({ status: "filled", filledAvgPrice: 48.4, filledAt: h.close("2018-06-05") });
    const gap = await h.broker.submitOrder(req({ side: "sell", type: "limit", timeInForce: "gtc", qty: 50, limitPrice: 48.3 }));
    h.at(eve("2018-06-06"));
    expect(bar("2018-06-06").open).toBeGreaterThan(48.3);
    expect(await h.broker.getOrder(gap.id)).toMatchObject({ status: "filled", filledAvgPrice: cents(bar("2018-06-06").open), filledAt: h.open("2018-06-06") });
    expect(await h.broker.positions()).toEqual([]);
  });

  it("a day limit that is never reached expires at its session's close; a day order placed mid-session on daily-only data expires unfilled", async () => {
    setup(ny("2018-06-04 08:00"));
    const far = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 45, qty: 10 }));
    h.at(ny("2018-06-04 11:00"));
    // Only daily bars: the 06-04 bar opened before this order, so it has no bar to fill on today.
    const midday = await h.broker.submitOrder(req({ side: "buy", qty: 10 }));
    h.at(ny("2018-06-04 15:59"));
    expect((await h.broker.getOrder(far.id)).status).toBe("new");
    h.at(h.close("2018-06-04"));
    expect(await h.broker.getOrder(far.id)).toMatchObject({ status: "expired", expiredAt: h.close("2018-06-04"), filledQty: 0 });
    expect(await h.broker.getOrder(midday.id)).toMatchObject({ status: "expired", filledQty: 0 });
    expect(await h.broker.fills()).toEqual([]);
    expect((await h.broker.account()).cash).toBe(100_000);
  });

  it("a limit placed before the open can fill on that day's bar (a daily bar starts at the 09:30 open)", async () => {
    setup(ny("2018-06-04 08:00"));
    const o = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 47.9, qty: 10 }));
    h.at(h.close("2018-06-04"));
    // 06-04: open 47.91 ≥ 47.90 > low 47.8375.
    expect(await h.broker.getOrder(o.id)).toMatchObject({ status: "filled", filledAvgPrice: 47.9, filledAt: h.close("2018-06-04") });
  });

  it("stops trigger at the stop and fill there plus slippage; gaps through the stop fill at the open", async () => {
    setup(FRI_EVE);
    await h.broker.submitOrder(req({ side: "buy", qty: 300, timeInForce: "gtc" }));
    // Buy stop inside the 06-04 bar: open 47.91 < 48.20 ≤ high 48.355.
    const buyStop = await h.broker.submitOrder(req({ side: "buy", type: "stop", stopPrice: 48.2, qty: 10 }));
    h.at(eve("2018-06-04"));
    expect(await h.broker.getOrder(buyStop.id)).toMatchObject({ status: "filled", filledAvgPrice: buySlip(48.2), filledAt: h.close("2018-06-04") });
    expect(buySlip(48.2)).toBe(48.22);

    h.at(eve("2018-06-07"));
    // Sell stop inside the 06-08 bar: open 47.7925 > 47.60 ≥ low 47.4425.
    const sellStop = await h.broker.submitOrder(req({ side: "sell", type: "stop", stopPrice: 47.6, qty: 100, timeInForce: "gtc" }));
    h.at(eve("2018-06-08"));
    expect(await h.broker.getOrder(sellStop.id)).toMatchObject({ status: "filled", filledAvgPrice: sellSlip(47.6), filledAt: h.close("2018-06-08") });

    h.at(eve("2018-06-18"));
    // 06-19 gaps down: prior low 46.80, open 46.285 — below the 46.50 stop: filled at the open.
    const gapDown = await h.broker.submitOrder(req({ side: "sell", type: "stop", stopPrice: 46.5, qty: 100, timeInForce: "gtc" }));
    h.at(eve("2018-06-19"));
    const g = bar("2018-06-19");
    expect(g.open).toBeLessThan(46.5);
    expect(await h.broker.getOrder(gapDown.id)).toMatchObject({ status: "filled", filledAvgPrice: sellSlip(g.open), filledAt: h.open("2018-06-19") });

    h.at(eve("2018-07-31"));
    // 08-01 gaps up: prior high 48.035, open 49.7825 — above the 49.00 buy stop: filled at the open.
    const gapUp = await h.broker.submitOrder(req({ side: "buy", type: "stop", stopPrice: 49, qty: 10, timeInForce: "gtc" }));
    h.at(eve("2018-08-01"));
    const u = bar("2018-08-01");
    expect(u.open).toBeGreaterThan(49);
    expect(await h.broker.getOrder(gapUp.id)).toMatchObject({ status: "filled", filledAvgPrice: buySlip(u.open), filledAt: h.open("2018-08-01") });
    expect(buySlip(u.open)).toBe(49.81);
  });

  it("stop_limit: triggers like a stop, fills on the trigger bar only if already through the limit, then acts as a limit", async () => {
    setup(FRI_EVE);
    // 06-04 triggers 48.20 (high 48.355); 48.20 is through the 48.30 limit: filled at 48.20, no slippage.
    const through = await h.broker.submitOrder(req({ side: "buy", type: "stop_limit", stopPrice: 48.2, limitPrice: 48.3, qty: 10, timeInForce: "gtc" }));
    // Same stop, limit 48.20: triggered on 06-04 but not through; 06-05 (low 48.09, open 48.2675) trades through: the limit.
    const later = await h.broker.submitOrder(req({ side: "buy", type: "stop_limit", stopPrice: 48.2, limitPrice: 48.2, qty: 10, timeInForce: "gtc" }));
    h.at(eve("2018-06-04"));
    expect(await h.broker.getOrder(through.id)).toMatchObject({ status: "filled", filledAvgPrice: 48.2, filledAt: h.close("2018-06-04") });
    expect((await h.broker.getOrder(later.id)).status).toBe("new");
    h.at(eve("2018-06-05"));
    expect(await h.broker.getOrder(later.id)).toMatchObject({ status: "filled", filledAvgPrice: 48.2, filledAt: h.close("2018-06-05") });
  });

  it("a trailing stop tracks the high-water mark bar by bar and sells when the bar trades through hwm × (1 − 2%)", async () => {
    setup(FRI_EVE);
    await h.broker.submitOrder(req({ side: "buy", qty: 100 }));
    h.at(eve("2018-06-04"));
    const o = await h.broker.submitOrder(req({ side: "sell", type: "trailing_stop", trailPercent: 2, qty: 100, timeInForce: "gtc" }));
    // The mark starts at the latest price (06-04 close).
    expect(o.hwm).toBe(bar("2018-06-04").close);
    expect(o.stopPrice).toBe(cents(bar("2018-06-04").close * 0.98));

    // Independent walk of the documented rule over the fixture.
    let hwm = bar("2018-06-04").close;
    let expected: { date: string; price: number; gap: boolean } | null = null;
    for (const date of ["2018-06-05", "2018-06-06", "2018-06-07", "2018-06-08"]) {
      const b = bar(date);
      hwm = Math.max(hwm, b.open);
      const stop = cents(hwm * 0.98);
      if (b.open <= stop) {
        expected = { date, price: sellSlip(b.open), gap: true };
        break;
      }
      if (b.low <= stop) {
        expected = { date, price: sellSlip(stop), gap: false };
        break;
      }
      hwm = Math.max(hwm, b.high);
    }
    expect(expected).toEqual({ date: "2018-06-08", price: 47.56, gap: false }); // hwm 48.55 → stop 47.58

    h.at(eve("2018-06-05"));
    const open = await h.broker.getOrder(o.id);
    expect(open.status).toBe("new");
    expect(open.hwm).toBe(Math.max(bar("2018-06-04").close, bar("2018-06-05").high));
    expect(open.stopPrice).toBe(cents(open.hwm! * 0.98));
    h.at(eve("2018-06-08"));
    expect(await h.broker.getOrder(o.id)).toMatchObject({ status: "filled", filledQty: 100, filledAvgPrice: 47.56, filledAt: h.close("2018-06-08") });
  });

  it("fills at most participation × volume per bar: partial fills over several days, volume-weighted average", async () => {
    setup(FRI_EVE, { participation: 1e-6 });
    const gtc = await h.broker.submitOrder(req({ side: "buy", qty: 250, timeInForce: "gtc" }));
    const day = await h.broker.submitOrder(req({ side: "buy", qty: 250, timeInForce: "day" }));
    const days = ["2018-06-04", "2018-06-05", "2018-06-06"];
    const caps = days.map((x) => Math.floor(bar(x).volume * 1e-6));
    expect(caps).toEqual([105, 86, 83]);
    const prices = days.map((x) => buySlip(bar(x).open));

    h.at(eve("2018-06-04"));
    expect(await h.broker.getOrder(gtc.id)).toMatchObject({ status: "partially_filled", filledQty: 105, filledAvgPrice: prices[0] });
    // The day order got its first 105 shares, and the rest expired with the session.
    expect(await h.broker.getOrder(day.id)).toMatchObject({ status: "expired", filledQty: 105, filledAvgPrice: prices[0], expiredAt: h.close("2018-06-04") });
    h.at(eve("2018-06-05"));
    expect(await h.broker.getOrder(gtc.id)).toMatchObject({ status: "partially_filled", filledQty: 191 });
    h.at(eve("2018-06-06"));
    const done = await h.broker.getOrder(gtc.id);
    const avg = (105 * prices[0]! + 86 * prices[1]! + 59 * prices[2]!) / 250;
    expect(done).toMatchObject({ status: "filled", filledQty: 250, filledAt: h.open("2018-06-06") });
    expect(done.filledAvgPrice).toBeCloseTo(avg, 9);
    const fills = (await h.broker.fills()).filter((f) => f.orderId === gtc.id);
    expect(fills.map((f) => [f.qty, f.price])).toEqual([[105, prices[0]], [86, prices[1]], [59, prices[2]]]);
    const [pos] = await h.broker.positions();
    expect(pos!.qty).toBe(355);
    expect(pos!.avgEntryPrice).toBeCloseTo((250 * avg + 105 * prices[0]!) / 355, 9);
  });

  it("ioc takes what the first bar allows and cancels the rest; fok fills all on the first bar or nothing", async () => {
    setup(FRI_EVE, { participation: 1e-6 }); // 105 shares fit in the 06-04 bar
    const ioc = await h.broker.submitOrder(req({ side: "buy", qty: 250, timeInForce: "ioc" }));
    const fokBig = await h.broker.submitOrder(req({ side: "buy", qty: 250, timeInForce: "fok" }));
    const fokSmall = await h.broker.submitOrder(req({ side: "buy", qty: 100, timeInForce: "fok" }));
    const iocLimit = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 40, qty: 10, timeInForce: "ioc" }));
    h.at(eve("2018-06-04"));
    const p = buySlip(bar("2018-06-04").open);
    expect(await h.broker.getOrder(ioc.id)).toMatchObject({ status: "canceled", filledQty: 105, filledAvgPrice: p, canceledAt: h.close("2018-06-04") });
    expect(await h.broker.getOrder(fokBig.id)).toMatchObject({ status: "canceled", filledQty: 0, filledAvgPrice: null });
    expect(await h.broker.getOrder(fokSmall.id)).toMatchObject({ status: "filled", filledQty: 100, filledAvgPrice: p });
    expect(await h.broker.getOrder(iocLimit.id)).toMatchObject({ status: "canceled", filledQty: 0 });
    expect((await h.broker.fills()).map((f) => f.orderId).sort()).toEqual([ioc.id, fokSmall.id].sort());
  });

  it("opg fills only at the next session's opening print, cls only at the closing print; otherwise they expire", async () => {
    setup(FRI_EVE);
    const opg = await h.broker.submitOrder(req({ side: "buy", qty: 10, timeInForce: "opg" }));
    const opgLimit = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 47, qty: 10, timeInForce: "opg" }));
    h.at(ny("2018-06-04 10:00"));
    // The opening print is known only from the daily bar, complete at the close.
    expect((await h.broker.getOrder(opg.id)).status).toBe("new");
    const cls = await h.broker.submitOrder(req({ side: "buy", qty: 10, timeInForce: "cls" }));
    const clsLimit = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 48, qty: 10, timeInForce: "cls" }));
    h.at(h.close("2018-06-04"));
    const b = bar("2018-06-04");
    expect(await h.broker.getOrder(opg.id)).toMatchObject({ status: "filled", filledAvgPrice: buySlip(b.open), filledAt: h.open("2018-06-04") });
    expect(await h.broker.getOrder(opgLimit.id)).toMatchObject({ status: "expired", filledQty: 0, expiredAt: h.open("2018-06-04") });
    expect(await h.broker.getOrder(cls.id)).toMatchObject({ status: "filled", filledAvgPrice: buySlip(b.close), filledAt: h.close("2018-06-04") });
    expect(b.close).toBeLessThan(48);
    expect(await h.broker.getOrder(clsLimit.id)).toMatchObject({ status: "filled", filledAvgPrice: cents(b.close) });
  });

  it("notional orders buy and sell fractional shares: qty = notional / fill price to 9 decimals", async () => {
    setup(FRI_EVE);
    const buy = await h.broker.submitOrder(req({ side: "buy", qty: undefined, notional: 1000 }));
    expect(buy).toMatchObject({ qty: null, notional: 1000 });
    h.at(eve("2018-06-04"));
    const p1 = buySlip(bar("2018-06-04").open);
    const b = await h.broker.getOrder(buy.id);
    expect(b).toMatchObject({ status: "filled", filledAvgPrice: p1 });
    expect(b.filledQty).toBeCloseTo(1000 / p1, 8);
    expect(b.filledQty * p1).toBeLessThanOrEqual(1000);
    expect(Math.abs(b.filledQty * 1e9 - Math.round(b.filledQty * 1e9))).toBeLessThan(1e-3); // 9 decimals
    expect((await h.broker.account()).cash).toBeCloseTo(100_000 - b.filledQty * p1, 6);

    const sell = await h.broker.submitOrder(req({ side: "sell", qty: undefined, notional: 500 }));
    h.at(eve("2018-06-05"));
    const p2 = sellSlip(bar("2018-06-05").open);
    const s = await h.broker.getOrder(sell.id);
    expect(s).toMatchObject({ status: "filled", filledAvgPrice: p2 });
    expect(s.filledQty).toBeCloseTo(500 / p2, 8);
    const [pos] = await h.broker.positions();
    expect(pos!.qty).toBeCloseTo(b.filledQty - s.filledQty, 9);
    expect((await h.broker.account()).realizedPl).toBeCloseTo((p2 - p1) * s.filledQty, 6);
  });

  it("tracks cash, average entry, realised and unrealised P&L and lastEquity over a round trip", async () => {
    setup(FRI_EVE);
    await h.broker.submitOrder(req({ side: "buy", qty: 100 }));
    h.at(eve("2018-06-04"));
    await h.broker.submitOrder(req({ side: "buy", qty: 50 }));
    h.at(eve("2018-06-05"));
    await h.broker.submitOrder(req({ side: "sell", qty: 120 }));
    h.at(eve("2018-06-06"));
    const p1 = buySlip(bar("2018-06-04").open);
    const p2 = buySlip(bar("2018-06-05").open);
    const p3 = sellSlip(bar("2018-06-06").open);
    expect([p1, p2, p3]).toEqual([47.93, 48.29, 48.38]);
    const avg = (100 * p1 + 50 * p2) / 150;
    const [pos] = await h.broker.positions();
    expect(pos).toMatchObject({ symbol: "AAPL", qty: 30, currentPrice: bar("2018-06-06").close, priceAsOf: h.close("2018-06-06") });
    expect(pos!.avgEntryPrice).toBeCloseTo(avg, 9);
    expect(pos!.costBasis).toBeCloseTo(30 * avg, 9);
    expect(pos!.unrealizedPl).toBeCloseTo(30 * (bar("2018-06-06").close - avg), 9);
    expect(pos!.unrealizedPlpc).toBeCloseTo((bar("2018-06-06").close - avg) / avg, 9);
    const a = await h.broker.account();
    const cash = 100_000 - 100 * p1 - 50 * p2 + 120 * p3;
    expect(a.cash).toBeCloseTo(cash, 6);
    expect(a.realizedPl).toBeCloseTo((p3 - avg) * 120, 6);
    expect(a.longMarketValue).toBeCloseTo(30 * bar("2018-06-06").close, 9);
    expect(a.equity).toBeCloseTo(cash + 30 * bar("2018-06-06").close, 6);
    expect(a.buyingPower).toBeCloseTo(cash, 6);
    // Previous session (06-05) close: 150 shares and the cash before the sale, at 06-05's close.
    expect(a.lastEquity).toBeCloseTo(100_000 - 100 * p1 - 50 * p2 + 150 * bar("2018-06-05").close, 6);
    expect(a.daytradeCount).toBe(0);

    await h.broker.submitOrder(req({ side: "sell", qty: 30 }));
    h.at(eve("2018-06-07"));
    const p4 = sellSlip(bar("2018-06-07").open);
    expect(await h.broker.positions()).toEqual([]);
    const end = await h.broker.account();
    const realized = (p3 - avg) * 120 + (p4 - avg) * 30;
    expect(end.realizedPl).toBeCloseTo(realized, 6);
    expect(end.cash).toBeCloseTo(100_000 + realized, 6);
    expect(end.equity).toBeCloseTo(end.cash, 9);
  });

  it("rejects invalid orders like Alpaca's 422 and records nothing", async () => {
    setup(FRI_EVE);
    const bad: [Partial<OrderRequest> & Pick<OrderRequest, "side">, RegExp][] = [
      [{ side: "buy", qty: 10, notional: 100 }, /both/],
      [{ side: "buy", qty: undefined }, /qty or notional is required/],
      [{ side: "buy", qty: 0 }, /qty must be a positive/],
      [{ side: "buy", qty: undefined, notional: 100, type: "limit", limitPrice: 40 }, /notional orders must be market orders with time_in_force day/],
      [{ side: "buy", qty: undefined, notional: 100, timeInForce: "gtc" }, /notional orders must be market/],
      [{ side: "buy", qty: 1.5, timeInForce: "gtc" }, /fractional orders must be day orders/],
      [{ side: "buy", type: "limit" }, /limit_price is required/],
      [{ side: "buy", type: "stop_limit", stopPrice: 50 }, /limit_price is required/],
      [{ side: "buy", type: "stop" }, /stop_price is required/],
      [{ side: "buy", type: "stop_limit", limitPrice: 50 }, /stop_price is required/],
      [{ side: "buy", limitPrice: 50 }, /limit_price is not allowed for market/],
      [{ side: "buy", type: "limit", limitPrice: 47.123 }, /sub-penny/],
      [{ side: "sell", type: "trailing_stop", timeInForce: "gtc" }, /exactly one of trail_price and trail_percent/],
      [{ side: "sell", type: "trailing_stop", timeInForce: "gtc", trailPercent: 1, trailPrice: 1 }, /exactly one/],
      [{ side: "sell", type: "trailing_stop", timeInForce: "opg", trailPercent: 1 }, /only for market and limit/],
      [{ side: "buy", type: "stop", stopPrice: 50, timeInForce: "ioc" }, /only for market and limit/],
      [{ side: "buy", extendedHours: true }, /extended hours/],
      [{ side: "buy", clientOrderId: "x".repeat(49) }, /48 characters/],
      [{ side: "buy", symbol: "NOPE" }, /not found/],
      [{ side: "sell", qty: 1 }, /insufficient qty available/],
      [{ side: "buy", qty: 2200 }, /insufficient buying power/],
    ];
    for (const [r, message] of bad) await rejected(h.broker.submitOrder(req(r)), message);
    expect(await h.broker.listOrders({ status: "all", limit: 500 })).toEqual([]);
    expect(await h.broker.getOrderByClientId(`c-${seq}`)).toBeNull();
    expect((await h.broker.account()).cash).toBe(100_000);
  });

  it("client_order_id is unique forever: reuse is rejected even after a cancel", async () => {
    setup(FRI_EVE);
    const o = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 40, timeInForce: "gtc", qty: 10, clientOrderId: "argus-once" }));
    await rejected(h.broker.submitOrder(req({ side: "buy", qty: 1, clientOrderId: "argus-once" })), /client_order_id must be unique/);
    await h.broker.cancelOrder(o.id);
    const canceled = await h.broker.getOrderByClientId("argus-once");
    expect(canceled).toMatchObject({ id: o.id, status: "canceled", canceledAt: FRI_EVE });
    await rejected(h.broker.submitOrder(req({ side: "buy", qty: 1, clientOrderId: "argus-once" })), /unique/);
    await rejected(h.broker.cancelOrder(o.id), /already canceled/);
    expect(await h.broker.listOrders({ status: "all", limit: 10 })).toHaveLength(1);
    await expect(h.broker.getOrder("no-such-order")).rejects.toMatchObject({ kind: "NOT_FOUND" });
    await expect(h.broker.cancelOrder("no-such-order")).rejects.toMatchObject({ kind: "NOT_FOUND" });
    expect(await h.broker.getOrderByClientId("never-sent")).toBeNull();
  });

  it("canceling a filled order is rejected; a canceled order never fills", async () => {
    setup(FRI_EVE);
    const filled = await h.broker.submitOrder(req({ side: "buy", qty: 10 }));
    const canceled = await h.broker.submitOrder(req({ side: "buy", qty: 10 }));
    await h.broker.cancelOrder(canceled.id);
    h.at(eve("2018-06-04"));
    expect((await h.broker.getOrder(filled.id)).status).toBe("filled");
    await rejected(h.broker.cancelOrder(filled.id), /order is already filled/);
    expect(await h.broker.getOrder(canceled.id)).toMatchObject({ status: "canceled", filledQty: 0 });
    expect((await h.broker.positions())[0]!.qty).toBe(10);
  });

  it("no shorting: a sell above the position less open sells is rejected (insufficient qty available)", async () => {
    setup(FRI_EVE);
    await h.broker.submitOrder(req({ side: "buy", qty: 100 }));
    await rejected(h.broker.submitOrder(req({ side: "sell", qty: 100 })), /insufficient qty available.*available: 0/); // not filled yet
    h.at(eve("2018-06-04"));
    await h.broker.submitOrder(req({ side: "sell", type: "limit", limitPrice: 100, qty: 60, timeInForce: "gtc" }));
    await rejected(h.broker.submitOrder(req({ side: "sell", qty: 50 })), /insufficient qty available for order \(requested: 50, available: 40\)/);
    const ok = await h.broker.submitOrder(req({ side: "sell", qty: 40 }));
    expect(ok.status).toBe("new");
  });

  it("buying power is cash less what open buys reserve (a cash account)", async () => {
    setup(FRI_EVE);
    // 2,200 × 47.56 × 1.0005 ≈ 104,684 > 100,000.
    await rejected(h.broker.submitOrder(req({ side: "buy", qty: 2200 })), /insufficient buying power/);
    await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 47, qty: 1500, timeInForce: "gtc" }));
    expect((await h.broker.account()).buyingPower).toBeCloseTo(100_000 - 1500 * 47, 6);
    await rejected(h.broker.submitOrder(req({ side: "buy", qty: 700 })), /insufficient buying power \(required: .*, available: 29500.00\)/);
    await rejected(h.broker.submitOrder(req({ side: "buy", qty: undefined, notional: 29_500.01 })), /insufficient buying power/);
    const fits = await h.broker.submitOrder(req({ side: "buy", qty: undefined, notional: 29_000 }));
    expect(fits.status).toBe("new");
    expect((await h.broker.account()).buyingPower).toBeCloseTo(500, 6);
  });

  it("a small starting cash is honoured", async () => {
    setup(FRI_EVE, { startingCash: 1000 });
    await rejected(h.broker.submitOrder(req({ side: "buy", qty: 100 })), /insufficient buying power/);
    expect((await h.broker.account()).cash).toBe(1000);
  });

  it("persists: a new PaperBroker on the same database sees the same book and carries on with open orders", async () => {
    setup(FRI_EVE);
    await h.broker.submitOrder(req({ side: "buy", qty: 100 }));
    const jpm = await h.broker.submitOrder(req({ symbol: "jpm", side: "buy", qty: 10 }));
    expect(jpm.symbol).toBe("JPM");
    h.at(eve("2018-06-04"));
    const limit = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 47.5, qty: 10, timeInForce: "gtc" }));
    const before = { account: await h.broker.account(), positions: await h.broker.positions(), orders: await h.broker.listOrders({ status: "all", limit: 50 }), fills: await h.broker.fills() };

    const again = new PaperBroker(h.t.app.db, h.t.app.data, h.t.clock);
    expect(await again.account()).toEqual(before.account);
    expect(await again.positions()).toEqual(before.positions);
    expect(await again.listOrders({ status: "all", limit: 50 })).toEqual(before.orders);
    expect(await again.fills()).toEqual(before.fills);
    expect(before.positions.map((p) => p.symbol)).toEqual(["AAPL", "JPM"]);

    h.at(eve("2018-06-08"));
    expect(await again.getOrder(limit.id)).toMatchObject({ status: "filled", filledAvgPrice: 47.5 });
    expect(await h.broker.getOrder(limit.id)).toMatchObject({ status: "filled", filledAvgPrice: 47.5 });
    expect((await h.broker.fills()).filter((f) => f.orderId === limit.id)).toHaveLength(1);
  });

  it("lists orders newest first with status, symbol, time and limit filters; fills(after) is exclusive and oldest first", async () => {
    setup(FRI_EVE);
    const a = await h.broker.submitOrder(req({ side: "buy", qty: 10 }));
    h.at(FRI_EVE + 1000);
    const b = await h.broker.submitOrder(req({ symbol: "JPM", side: "buy", type: "limit", limitPrice: 50, qty: 10, timeInForce: "gtc" }));
    h.at(FRI_EVE + 2000);
    const c = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 40, qty: 10, timeInForce: "gtc" }));
    h.at(eve("2018-06-04"));
    const ids = async (f: Parameters<PaperBroker["listOrders"]>[0]) => (await h.broker.listOrders(f)).map((o) => o.id);
    expect(await ids({ status: "all", limit: 10 })).toEqual([c.id, b.id, a.id]);
    expect(await ids({ status: "open", limit: 10 })).toEqual([c.id, b.id]);
    expect(await ids({ status: "closed", limit: 10 })).toEqual([a.id]);
    expect(await ids({ status: "all", limit: 10, symbols: ["JPM"] })).toEqual([b.id]);
    expect(await ids({ status: "all", limit: 10, after: FRI_EVE })).toEqual([c.id, b.id]);
    expect(await ids({ status: "all", limit: 10, until: FRI_EVE + 2000 })).toEqual([b.id, a.id]);
    expect(await ids({ status: "all", limit: 1 })).toEqual([c.id]);
    const fills = await h.broker.fills();
    expect(fills).toHaveLength(1);
    expect(await h.broker.fills(fills[0]!.t)).toEqual([]);
    expect(await h.broker.fills(fills[0]!.t - 1)).toHaveLength(1);
  });
});
