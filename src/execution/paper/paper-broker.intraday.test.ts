import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/support/app.js";
import type { OrderRequest } from "../types.js";
import { PaperBroker } from "./paper-broker.js";
import {
  buySlip,
  cents,
  DAILY_DIR,
  HAVE_DAILY,
  HAVE_MINUTE,
  MINUTE_DIR,
  ny,
  paperHarness,
  readDaily,
  readMinutes,
  sellSlip,
  SKIP_REASON,
  type CsvBar,
  type PaperHarness,
} from "./test-support.js";

const AAPL_1MIN = join(MINUTE_DIR, "AAPL_1min.csv");
const JPM_1MIN = join(MINUTE_DIR, "JPM_1min.csv");
const JPM_DAILY = join(DAILY_DIR, "JPM.csv");
const MIN = 60_000;

let seq = 0;
const req = (r: Partial<OrderRequest> & Pick<OrderRequest, "side">): OrderRequest => ({
  symbol: "AAPL",
  type: "market",
  timeInForce: "day",
  qty: 10,
  clientOrderId: `i-${++seq}`,
  ...r,
});

describe.skipIf(!HAVE_MINUTE)(`PaperBroker on real 1-minute bars (AAPL, 2019-02-11..15) — ${SKIP_REASON}`, () => {
  const minutes: CsvBar[] = HAVE_MINUTE ? readMinutes(AAPL_1MIN) : [];
  const firstAtOrAfter = (t: number) => {
    const b = minutes.find((m) => m.t >= t);
    if (!b) throw new Error(`no minute bar at or after ${new Date(t).toISOString()}`);
    return b;
  };
  let h: PaperHarness;
  afterEach(() => h?.t.cleanup());
  const setup = (now: number, broker?: ConstructorParameters<typeof PaperBroker>[3]) => {
    // Only minute bars for AAPL: the daily fixture is split-adjusted (÷4) and would not match them.
    h = paperHarness({ now, files: [AAPL_1MIN], ...(broker ? { broker } : {}) });
    return h;
  };

  it("a market order fills at the open of the first minute that starts after it, once that minute is complete", async () => {
    const submitted = ny("2019-02-12 10:00:30");
    setup(submitted);
    const o = await h.broker.submitOrder(req({ side: "buy" }));
    const bar = firstAtOrAfter(submitted);
    expect(bar.t).toBe(ny("2019-02-12 10:01"));
    h.at(bar.t + MIN - 1);
    expect((await h.broker.getOrder(o.id)).status).toBe("new");
    h.at(bar.t + MIN);
    expect(await h.broker.getOrder(o.id)).toMatchObject({ status: "filled", filledQty: 10, filledAvgPrice: buySlip(bar.open), filledAt: bar.t });
    expect(buySlip(bar.open)).toBe(170.38); // 170.29 × 1.0005
  });

  it("a day limit that is never reached expires at 16:00", async () => {
    setup(ny("2019-02-12 10:00"));
    const o = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: 150 }));
    h.at(ny("2019-02-12 15:59:59"));
    expect((await h.broker.getOrder(o.id)).status).toBe("new");
    h.at(ny("2019-02-12 16:00"));
    expect(await h.broker.getOrder(o.id)).toMatchObject({ status: "expired", expiredAt: ny("2019-02-12 16:00"), filledQty: 0 });
  });

  it("a limit fills on the first minute that trades through it, at the better of limit and open", async () => {
    const submitted = ny("2019-02-12 10:00");
    setup(submitted);
    const after = minutes.filter((m) => m.t >= submitted && m.date === "2019-02-12");
    const limit = cents(Math.min(...after.map((m) => m.low)) + 0.1);
    const o = await h.broker.submitOrder(req({ side: "buy", type: "limit", limitPrice: limit, timeInForce: "gtc" }));
    const hit = after.find((m) => m.low < limit)!;
    const gap = hit.open < limit;
    h.at(ny("2019-02-12 16:00"));
    expect(await h.broker.getOrder(o.id)).toMatchObject({
      status: "filled",
      filledAvgPrice: gap ? Math.min(cents(hit.open), limit) : limit,
      filledAt: gap ? hit.t : hit.t + MIN,
    });
    // Every earlier minute stayed at or above the limit.
    expect(after.filter((m) => m.t < hit.t).every((m) => m.low >= limit)).toBe(true);
  });

  it("partial fills: at most participation × volume shares per minute, until the order is complete", async () => {
    const submitted = ny("2019-02-12 10:00:30");
    setup(submitted, { participation: 0.001 });
    const o = await h.broker.submitOrder(req({ side: "buy", qty: 300, timeInForce: "gtc" }));
    const expected: [number, number, number][] = [];
    let left = 300;
    for (const m of minutes.filter((x) => x.t >= submitted)) {
      const q = Math.min(left, Math.floor(m.volume * 0.001));
      if (q > 0) expected.push([q, buySlip(m.open), m.t]);
      left -= q;
      if (left === 0) break;
    }
    expect(expected.length).toBeGreaterThan(2);
    const [, , firstT] = expected[0]!;
    h.at(firstT + MIN);
    expect(await h.broker.getOrder(o.id)).toMatchObject({ status: "partially_filled", filledQty: expected[0]![0] });
    const lastT = expected.at(-1)![2];
    h.at(lastT + MIN);
    const done = await h.broker.getOrder(o.id);
    const avg = expected.reduce((s, [q, p]) => s + q * p, 0) / 300;
    expect(done).toMatchObject({ status: "filled", filledQty: 300, filledAt: lastT });
    expect(done.filledAvgPrice).toBeCloseTo(avg, 9);
    expect((await h.broker.fills()).map((f) => [f.qty, f.price, f.t])).toEqual(expected);
  });

  it("ioc and fok are decided on the first minute after submission", async () => {
    const submitted = ny("2019-02-12 10:00:30");
    setup(submitted, { participation: 0.001 });
    const bar = firstAtOrAfter(submitted);
    const cap = Math.floor(bar.volume * 0.001);
    const ioc = await h.broker.submitOrder(req({ side: "buy", qty: cap + 20, timeInForce: "ioc" }));
    const fok = await h.broker.submitOrder(req({ side: "buy", qty: cap + 20, timeInForce: "fok" }));
    h.at(ny("2019-02-12 11:00"));
    expect(await h.broker.getOrder(ioc.id)).toMatchObject({ status: "canceled", filledQty: cap, filledAvgPrice: buySlip(bar.open), canceledAt: bar.t + MIN });
    expect(await h.broker.getOrder(fok.id)).toMatchObject({ status: "canceled", filledQty: 0 });
  });

  it("a buy and a sell in the same session is a day trade; it leaves the 5-session window after five more sessions", async () => {
    const submitted = ny("2019-02-12 10:00:30");
    setup(submitted);
    await h.broker.submitOrder(req({ side: "buy" }));
    h.at(ny("2019-02-12 11:00"));
    await h.broker.submitOrder(req({ side: "sell" }));
    h.at(ny("2019-02-12 11:05"));
    const buy = buySlip(firstAtOrAfter(submitted).open);
    const sell = sellSlip(firstAtOrAfter(ny("2019-02-12 11:00")).open);
    const a = await h.broker.account();
    expect(a.daytradeCount).toBe(1);
    expect(a.realizedPl).toBeCloseTo(10 * (sell - buy), 6);
    expect(a.cash).toBeCloseTo(100_000 + 10 * (sell - buy), 6);
    expect(a.lastEquity).toBe(100_000); // flat at 02-11's close
    expect(await h.broker.positions()).toEqual([]);
    h.at(ny("2019-02-19 12:00")); // 02-18 is Presidents' Day: the window is 02-12, 13, 14, 15, 19
    expect((await h.broker.account()).daytradeCount).toBe(1);
    h.at(ny("2019-02-20 12:00"));
    expect((await h.broker.account()).daytradeCount).toBe(0);
  });

  it("a trailing stop ($0.50) follows the high-water mark minute by minute", async () => {
    setup(ny("2019-02-12 10:00:30"));
    await h.broker.submitOrder(req({ side: "buy" }));
    const submitted = ny("2019-02-12 10:10");
    h.at(submitted);
    const o = await h.broker.submitOrder(req({ side: "sell", type: "trailing_stop", trailPrice: 0.5, timeInForce: "gtc" }));
    const last = minutes.filter((m) => m.t + MIN <= submitted).at(-1)!;
    expect(o.hwm).toBe(last.close);
    let hwm = last.close;
    let expected: { price: number; t: number } | null = null;
    for (const m of minutes.filter((x) => x.t >= submitted)) {
      hwm = Math.max(hwm, m.open);
      const stop = cents(hwm - 0.5);
      if (m.open <= stop) {
        expected = { price: sellSlip(m.open), t: m.t };
        break;
      }
      if (m.low <= stop) {
        expected = { price: sellSlip(stop), t: m.t + MIN };
        break;
      }
      hwm = Math.max(hwm, m.high);
    }
    expect(expected).not.toBeNull();
    h.at(ny("2019-02-15 16:00"));
    expect(await h.broker.getOrder(o.id)).toMatchObject({ status: "filled", filledQty: 10, filledAvgPrice: expected!.price, filledAt: expected!.t });
  });

  it("opg takes the 09:30 minute's open; cls takes the 15:59 minute's close", async () => {
    setup(ny("2019-02-12 20:00"));
    const opg = await h.broker.submitOrder(req({ side: "buy", timeInForce: "opg" }));
    const open = minutes.find((m) => m.t === ny("2019-02-13 09:30"))!;
    h.at(ny("2019-02-13 09:30:59"));
    expect((await h.broker.getOrder(opg.id)).status).toBe("new");
    h.at(ny("2019-02-13 10:00"));
    expect(await h.broker.getOrder(opg.id)).toMatchObject({ status: "filled", filledAvgPrice: buySlip(open.open), filledAt: open.t });
    const cls = await h.broker.submitOrder(req({ side: "sell", timeInForce: "cls" }));
    const close = minutes.find((m) => m.t === ny("2019-02-13 15:59"))!;
    h.at(ny("2019-02-13 15:59:59"));
    expect((await h.broker.getOrder(cls.id)).status).toBe("new");
    h.at(ny("2019-02-13 16:00"));
    expect(await h.broker.getOrder(cls.id)).toMatchObject({ status: "filled", filledAvgPrice: sellSlip(close.close), filledAt: ny("2019-02-13 16:00") });
  });
});

describe.skipIf(!HAVE_MINUTE || !HAVE_DAILY)(`PaperBroker with daily and minute bars for one symbol (JPM) — ${SKIP_REASON}`, () => {
  let h: PaperHarness;
  afterEach(() => h?.t.cleanup());

  it("uses 1Min bars for the sessions that have them and 1Day bars elsewhere", async () => {
    h = paperHarness({ now: ny("2019-02-08 17:00"), files: [JPM_DAILY, JPM_1MIN] });
    const daily = readDaily(JPM_DAILY);
    const minutes = readMinutes(JPM_1MIN);
    const market = await h.broker.submitOrder(req({ symbol: "JPM", side: "buy", timeInForce: "gtc" }));
    // 02-11's daily low (100.769997) is below 100.78 but no minute of that session is: minutes rule.
    const limit = await h.broker.submitOrder(req({ symbol: "JPM", side: "buy", type: "limit", limitPrice: 100.78, timeInForce: "gtc" }));
    expect(daily.get("2019-02-11")!.low).toBeLessThan(100.78);
    expect(Math.min(...minutes.map((m) => m.low))).toBeGreaterThanOrEqual(100.78);

    h.at(ny("2019-02-11 09:31"));
    const first = minutes[0]!;
    expect(first.t).toBe(ny("2019-02-11 09:30"));
    expect(await h.broker.getOrder(market.id)).toMatchObject({ status: "filled", filledAvgPrice: buySlip(first.open), filledAt: first.t });
    expect(buySlip(first.open)).not.toBe(buySlip(daily.get("2019-02-11")!.open));

    h.at(ny("2019-02-15 17:00"));
    expect((await h.broker.getOrder(limit.id)).status).toBe("new");
    // After the minute fixture ends, daily bars take over.
    const hit = [...daily.values()].find((b) => b.date > "2019-02-15" && b.low < 100.78)!;
    const session = h.t.app.data.calendar.session(hit.date)!;
    h.at(session.close);
    const gap = hit.open < 100.78;
    expect(await h.broker.getOrder(limit.id)).toMatchObject({
      status: "filled",
      filledAvgPrice: gap ? Math.min(cents(hit.open), 100.78) : 100.78,
      filledAt: gap ? session.open : session.close,
    });
  });
});

describe("PaperBroker on the synthetic demo universe (smoke)", () => {
  let early: TestApp | undefined;
  afterEach(() => {
    early?.cleanup();
    early = undefined;
  });

  it("starts with $100k, accepts an order, and fills it from the demo's minute bars", async () => {
    // Generate the demo up to Friday 2026-11-20, then reopen it on Wednesday 11-18 10:00 New York.
    const first = createTestApp();
    const home = first.home;
    first.app.close();
    early = createTestApp({ now: Date.parse("2026-11-18T15:00:00Z"), env: { ARGUS_HOME: home } });
    const broker = new PaperBroker(early.app.db, early.app.data, early.clock);
    const a = await broker.account();
    expect(a).toMatchObject({ cash: 100_000, equity: 100_000, buyingPower: 100_000, realizedPl: 0, status: "ACTIVE" });
    expect(await broker.positions()).toEqual([]);

    const symbol = "MKT.DEMO";
    const submitted = early.clock.now();
    const o = await broker.submitOrder({ symbol, side: "buy", type: "market", timeInForce: "day", qty: 5, clientOrderId: "demo-1" });
    expect(o.status).toBe("new");
    early.clock.set(submitted + 2 * MIN);
    const bar = early.app.data.getBars({ symbol, timeframe: "1Min", from: new Date(submitted).toISOString(), limit: 1 }).bars[0]!;
    expect(bar.t).toBe(submitted);
    const filled = await broker.getOrder(o.id);
    expect(filled).toMatchObject({ status: "filled", filledQty: 5, filledAt: bar.t });
    const p = bar.open >= 1 ? buySlip(bar.open) : Math.round(bar.open * 1.0005 * 1e4) / 1e4;
    expect(filled.filledAvgPrice).toBe(p);
    expect((await broker.account()).cash).toBeCloseTo(100_000 - 5 * p, 6);
    expect((await broker.positions())[0]).toMatchObject({ symbol, qty: 5, avgEntryPrice: p });
  });
});
