import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeAlpaca, type FakeAlpaca } from "../../../test/support/fake-alpaca.js";
import { ArgusError } from "../../core/errors.js";
import { createLogger } from "../../core/logger.js";
import { BrokerError, type OrderRequest } from "../types.js";
import { ALPACA_LIVE_URL, ALPACA_PAPER_URL, AlpacaBroker, type AlpacaBrokerOptions } from "./alpaca-broker.js";
import { submitOrReconcile } from "./reconcile.js";

let fake: FakeAlpaca;
let logLines: string[];

beforeEach(async () => {
  fake = await startFakeAlpaca();
  logLines = [];
});
afterEach(async () => {
  await fake.close();
});

function broker(over: Partial<AlpacaBrokerOptions> = {}): AlpacaBroker {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  return new AlpacaBroker({ keyId: fake.keyId, secretKey: fake.secretKey, baseUrl: fake.url, live: false, timeoutMs: 2_000, logger: createLogger("debug", sink), ...over });
}

const limitBuy = (clientOrderId: string, over: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: "AAPL", side: "buy", type: "limit", timeInForce: "day", qty: 10, limitPrice: 150.5, clientOrderId, ...over,
});

async function caught(p: Promise<unknown>): Promise<BrokerError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BrokerError);
    return err as BrokerError;
  }
  throw new Error("expected a BrokerError");
}

describe("AlpacaBroker configuration", () => {
  it("uses the paper URL unless live is true, and refuses the live host without live", () => {
    expect(new AlpacaBroker({ keyId: "k", secretKey: "s", live: false }).baseUrl).toBe(ALPACA_PAPER_URL);
    expect(ALPACA_PAPER_URL).toBe("https://paper-api.alpaca.markets");
    expect(new AlpacaBroker({ keyId: "k", secretKey: "s" }).baseUrl).toBe(ALPACA_PAPER_URL);
    expect(new AlpacaBroker({ keyId: "k", secretKey: "s", live: true }).baseUrl).toBe("https://api.alpaca.markets");
    expect(new AlpacaBroker({ keyId: "k", secretKey: "s", live: true, baseUrl: "http://127.0.0.1:9/" }).baseUrl).toBe("http://127.0.0.1:9");
    expect(() => new AlpacaBroker({ keyId: "k", secretKey: "s", live: false, baseUrl: ALPACA_LIVE_URL })).toThrow(ArgusError);
    expect(() => new AlpacaBroker({ keyId: "k", secretKey: "", live: false })).toThrow(/key id and a secret/);
  });
});

describe("AlpacaBroker against a local Alpaca (real SDK over HTTP)", () => {
  it("reads the account and positions, sending both auth headers", async () => {
    fake.setPosition({ symbol: "MSFT", qty: 20, avgEntryPrice: 300, currentPrice: 310 });
    fake.setAccount({ last_equity: "99500", daytrade_count: 2, pattern_day_trader: true });
    const b = broker({ now: () => 1_700_000_000_000 });

    const account = await b.account();
    expect(account).toEqual({
      currency: "USD", cash: 100_000, equity: 106_200, lastEquity: 99_500, buyingPower: 100_000, longMarketValue: 6_200,
      shortMarketValue: 0, realizedPl: 0, daytradeCount: 2, patternDayTrader: true, tradingBlocked: false, status: "ACTIVE",
    });
    const positions = await b.positions();
    expect(positions).toEqual([
      { symbol: "MSFT", qty: 20, side: "long", avgEntryPrice: 300, costBasis: 6_000, currentPrice: 310, priceAsOf: 1_700_000_000_000, marketValue: 6_200, unrealizedPl: 200, unrealizedPlpc: expect.any(Number) },
    ]);
    expect(positions[0]?.unrealizedPlpc).toBeCloseTo(200 / 6_000, 8);
    expect(fake.requests.map((r) => [r.method, r.path, r.authorized])).toEqual([
      ["GET", "/v2/account", true],
      ["GET", "/v2/positions", true],
    ]);
  });

  it("submits with the client id and Alpaca's snake_case decimal strings, then reads the order back", async () => {
    const b = broker();
    const order = await b.submitOrder(limitBuy("prop_round_trip", { extendedHours: true }));
    expect(order).toMatchObject({
      clientOrderId: "prop_round_trip", symbol: "AAPL", side: "buy", type: "limit", timeInForce: "day", qty: 10, limitPrice: 150.5,
      status: "new", filledQty: 0, filledAvgPrice: null, extendedHours: true,
    });
    expect(typeof order.createdAt).toBe("number");
    const post = fake.requests.find((r) => r.method === "POST");
    expect(post?.body).toEqual({ symbol: "AAPL", side: "buy", type: "limit", time_in_force: "day", client_order_id: "prop_round_trip", qty: "10", limit_price: "150.5", extended_hours: true });

    expect(await b.getOrder(order.id)).toEqual(order);
    expect(await b.getOrderByClientId("prop_round_trip")).toEqual(order);

    const trail = await b.submitOrder({ symbol: "MSFT", side: "sell", type: "trailing_stop", timeInForce: "gtc", qty: 1, trailPercent: 2.5, clientOrderId: "prop_trail" });
    expect(trail).toMatchObject({ type: "trailing_stop", trailPercent: 2.5, timeInForce: "gtc" });
    expect(fake.requests.filter((r) => r.method === "POST")[1]?.body).toMatchObject({ trail_percent: "2.5", qty: "1" });
    const notional = await b.submitOrder({ symbol: "SPY", side: "buy", type: "market", timeInForce: "day", notional: 250, clientOrderId: "prop_notional" });
    expect(notional).toMatchObject({ qty: null, notional: 250 });
  });

  it("lists orders by status and symbol, newest first, and cancels", async () => {
    const b = broker();
    const first = await b.submitOrder(limitBuy("prop_a"));
    await new Promise((r) => setTimeout(r, 5));
    const second = await b.submitOrder(limitBuy("prop_b", { symbol: "MSFT" }));
    expect((await b.listOrders({ status: "open", limit: 50 })).map((o) => o.id)).toEqual([second.id, first.id]);
    expect((await b.listOrders({ status: "open", limit: 50, symbols: ["MSFT"] })).map((o) => o.id)).toEqual([second.id]);
    const q = fake.requests.at(-1)?.query;
    expect(q).toMatchObject({ status: "open", limit: "50", symbols: "MSFT", direction: "desc" });

    await b.cancelOrder(first.id);
    expect(await b.getOrder(first.id)).toMatchObject({ status: "canceled" });
    expect(typeof (await b.getOrder(first.id)).canceledAt).toBe("number");
    expect((await b.listOrders({ status: "closed", limit: 10 })).map((o) => o.id)).toEqual([first.id]);
    expect((await b.listOrders({ status: "all", limit: 10, after: second.submittedAt - 1 })).map((o) => o.id)).toEqual([second.id]);

    const again = await caught(b.cancelOrder(first.id));
    expect(again).toMatchObject({ kind: "REJECTED", status: 422, message: "order is not cancelable" });
    expect(await caught(b.cancelOrder("no-such-order"))).toMatchObject({ kind: "NOT_FOUND", status: 404 });
  });

  it("maps fills (partial and full) with the client id, since a time, oldest first", async () => {
    const b = broker();
    const order = await b.submitOrder(limitBuy("prop_fills", { qty: 10 }));
    fake.fillOrder(order.id, 4, 150);
    expect(await b.getOrder(order.id)).toMatchObject({ status: "partially_filled", filledQty: 4, filledAvgPrice: 150 });
    await new Promise((r) => setTimeout(r, 5));
    fake.fillOrder(order.id, 6, 151);
    expect(await b.getOrder(order.id)).toMatchObject({ status: "filled", filledQty: 10, filledAvgPrice: 150.6 });

    const fills = await b.fills();
    expect(fills.map((f) => [f.orderId, f.clientOrderId, f.symbol, f.side, f.qty, f.price])).toEqual([
      [order.id, "prop_fills", "AAPL", "buy", 4, 150],
      [order.id, "prop_fills", "AAPL", "buy", 6, 151],
    ]);
    expect(await b.fills(fills[0]!.t)).toEqual([fills[1]]);
    const fillsQuery = fake.requests.filter((r) => r.path === "/v2/account/activities/FILL").at(-1)?.query;
    expect(fillsQuery).toMatchObject({ direction: "asc", page_size: "100", after: new Date(fills[0]!.t).toISOString() });

    // A fresh broker has no cache: it looks the client id up from the order, once.
    const cold = broker();
    expect((await cold.fills()).map((f) => f.clientOrderId)).toEqual(["prop_fills", "prop_fills"]);
    expect(fake.count("GET", `/v2/orders/${order.id}`)).toBe(3);
    expect(await b.positions()).toMatchObject([{ symbol: "AAPL", qty: 10, avgEntryPrice: 150.6 }]);
  });

  it("pages through more than one page of fills", async () => {
    const b = broker();
    const order = await b.submitOrder(limitBuy("prop_many", { qty: 130, limitPrice: 10 }));
    for (let i = 0; i < 130; i++) fake.fillOrder(order.id, 1, 10);
    const fills = await b.fills();
    expect(fills).toHaveLength(130);
    expect(new Set(fills.map((f) => f.id)).size).toBe(130);
    expect(fake.count("GET", "/v2/account/activities/FILL")).toBe(2);
    expect(fake.requests.filter((r) => r.path === "/v2/account/activities/FILL")[1]?.query.page_token).toBe(fills[99]!.id);
  });

  it("exposes the clock and the calendar (dates sent as YYYY-MM-DD)", async () => {
    fake.setClock({ timestamp: "2024-01-02T10:00:00-05:00", is_open: true, next_open: "2024-01-03T09:30:00-05:00", next_close: "2024-01-02T16:00:00-05:00" });
    const b = broker();
    expect(await b.clock()).toEqual({ timestamp: Date.parse("2024-01-02T15:00:00Z"), isOpen: true, nextOpen: Date.parse("2024-01-03T14:30:00Z"), nextClose: Date.parse("2024-01-02T21:00:00Z") });
    const days = await b.calendar("2024-01-05", "2024-01-08");
    expect(days.map((d) => d.date)).toEqual(["2024-01-05", "2024-01-08"]);
    expect(days[0]).toMatchObject({ open: Date.parse("2024-01-05T14:30:00Z"), close: Date.parse("2024-01-05T21:00:00Z") });
    expect(fake.requests.at(-1)?.query).toEqual({ start: "2024-01-05", end: "2024-01-08" });
    await expect(b.calendar("2024-1-5", "2024-01-08")).rejects.toThrow(/YYYY-MM-DD/);
  });

  it("maps 403 to FORBIDDEN and 422 to REJECTED, keeping Alpaca's message", async () => {
    const b = broker();
    fake.setAccount({ buying_power: "1000" });
    const poor = await caught(b.submitOrder(limitBuy("prop_poor")));
    expect(poor).toMatchObject({ kind: "FORBIDDEN", status: 403, message: "insufficient buying power", alpacaCode: 40310000, uncertain: false });

    await b.submitOrder(limitBuy("prop_dup", { qty: 1 }));
    const dup = await caught(b.submitOrder(limitBuy("prop_dup", { qty: 1 })));
    expect(dup).toMatchObject({ kind: "REJECTED", status: 422, message: "client_order_id must be unique", uncertain: false });

    fake.fail({ path: "/v2/orders", method: "POST", status: 422, body: { code: 40010001, message: "qty must be > 0" } });
    expect(await caught(b.submitOrder(limitBuy("prop_bad")))).toMatchObject({ kind: "REJECTED", message: "qty must be > 0" });
    fake.fail({ path: "/v2/orders", method: "POST", status: 403, body: { code: 40310000, message: "account is not allowed to short" } });
    expect(await caught(b.submitOrder(limitBuy("prop_short")))).toMatchObject({ kind: "FORBIDDEN", message: "account is not allowed to short" });
    expect(fake.orders()).toHaveLength(1);
  });

  it("maps 404, 429 and 5xx", async () => {
    const b = broker();
    expect(await b.getOrderByClientId("never-sent")).toBeNull();
    expect(fake.requests.at(-1)).toMatchObject({ path: "/v2/orders:by_client_order_id", query: { client_order_id: "never-sent" } });
    expect(await caught(b.getOrder("nope"))).toMatchObject({ kind: "NOT_FOUND", status: 404 });

    fake.fail({ path: "/v2/account", status: 429, body: { code: 42910000, message: "rate limit exceeded" } });
    expect(await caught(b.account())).toMatchObject({ kind: "RATE_LIMITED", status: 429, message: "rate limit exceeded", uncertain: false });
    fake.fail({ path: "/v2/orders", method: "POST", status: 503, body: { code: 50010000, message: "service unavailable" } });
    expect(await caught(b.submitOrder(limitBuy("prop_503")))).toMatchObject({ kind: "UNAVAILABLE", status: 503, uncertain: true });
    fake.fail({ path: "/v2/positions", status: 500, body: "<html>oops</html>" });
    expect(await caught(b.positions())).toMatchObject({ kind: "UNAVAILABLE", status: 500 });
  });

  it("does not take a bare 404 (no Alpaca error body) as proof that an order does not exist", async () => {
    const b = broker();
    fake.fail({ path: "/v2/orders:by_client_order_id", status: 404, body: "not found" });
    expect(await caught(b.getOrderByClientId("prop_x"))).toMatchObject({ kind: "UNKNOWN", status: 404 });
  });

  it("maps a timeout and a dropped connection to TIMEOUT (uncertain)", async () => {
    const b = broker({ timeoutMs: 200 });
    fake.fail({ path: "/v2/account", delayMs: 1_000 });
    const slow = await caught(b.account());
    expect(slow).toMatchObject({ kind: "TIMEOUT", uncertain: true });
    expect(slow.message).toMatch(/within 200 ms/);
    fake.fail({ path: "/v2/account", reset: true });
    expect(await caught(b.account())).toMatchObject({ kind: "TIMEOUT", uncertain: true });
  });

  it("reports an unreadable 2xx answer to a submission as uncertain (the order may exist)", async () => {
    const b = broker();
    fake.fail({ path: "/v2/orders", method: "POST", status: 200, body: { id: "x" } });
    expect(await caught(b.submitOrder(limitBuy("prop_garbled")))).toMatchObject({ kind: "UNAVAILABLE", uncertain: true });
    fake.fail({ path: "/v2/account", status: 200, body: { cash: "lots" } });
    expect(await caught(b.account())).toMatchObject({ kind: "UNKNOWN", uncertain: false });
  });

  it("reconciles a submit that timed out after Alpaca recorded it, without resubmitting", async () => {
    const b = broker({ timeoutMs: 200 });
    fake.fail({ path: "/v2/orders", method: "POST", delayMs: 1_500 });
    const out = await submitOrReconcile(b, limitBuy("prop_uncertain"), { delayMs: 20 });
    expect(out.status).toBe("reconciled");
    if (out.status !== "reconciled") throw new Error("unreachable");
    expect(out.cause).toMatchObject({ kind: "TIMEOUT" });
    expect(out.order).toMatchObject({ clientOrderId: "prop_uncertain", symbol: "AAPL", qty: 10, status: "new" });
    expect(out.mismatches).toEqual([]);
    expect(fake.count("POST", "/v2/orders")).toBe(1);
    expect(fake.count("GET", "/v2/orders:by_client_order_id")).toBe(1);
    expect(fake.orders().map((o) => o.client_order_id)).toEqual(["prop_uncertain"]);
  });

  it("reports not_received when the submit timed out and Alpaca never recorded it", async () => {
    const b = broker({ timeoutMs: 200 });
    fake.fail({ path: "/v2/orders", method: "POST", delayMs: 1_500, record: false });
    const out = await submitOrReconcile(b, limitBuy("prop_lost"), { delayMs: 20 });
    expect(out).toMatchObject({ status: "not_received", lookups: 1, cause: { kind: "TIMEOUT" } });
    expect(fake.count("POST", "/v2/orders")).toBe(1);
    expect(fake.orders()).toEqual([]);
  });

  it("stays uncertain when the lookups fail too, and still never resubmits", async () => {
    const b = broker({ timeoutMs: 200 });
    fake.fail({ path: "/v2/orders", method: "POST", reset: true, record: true });
    for (let i = 0; i < 3; i++) fake.fail({ path: "/v2/orders:by_client_order_id", status: 503, body: { code: 50310000, message: "try later" } });
    const out = await submitOrReconcile(b, limitBuy("prop_dark"), { delayMs: 5, attempts: 3 });
    expect(out).toMatchObject({ status: "unknown", lookups: 3, lookupError: { kind: "UNAVAILABLE" } });
    expect(fake.count("POST", "/v2/orders")).toBe(1);
    // The order did land; a later reconcile finds it.
    expect(await b.getOrderByClientId("prop_dark")).toMatchObject({ clientOrderId: "prop_dark" });
  });

  it("never puts the secret in errors or logs", async () => {
    const secret = fake.secretKey;
    const wrong = broker({ secretKey: `${secret}-wrong` });
    const denied = await caught(wrong.account());
    expect(denied).toMatchObject({ kind: "FORBIDDEN", status: 403 });

    const b = broker({ timeoutMs: 200 });
    fake.fail({ path: "/v2/orders", method: "POST", status: 422, body: { code: 40010001, message: `bad header APCA-API-SECRET-KEY=${secret}` } });
    const echoed = await caught(b.submitOrder(limitBuy("prop_echo")));
    expect(echoed.message).toBe("bad header APCA-API-SECRET-KEY=[redacted]");
    fake.fail({ path: "/v2/account", delayMs: 1_000 });
    const slow = await caught(b.account());
    fake.fail({ path: "/v2/account", status: 200, body: { cash: secret } });
    const garbled = await caught(b.account());
    fake.fail({ path: "/v2/account", status: 200, body: { cash: `${"x".repeat(30)}${secret}` } });
    const garbledLong = await caught(b.account());
    fake.fail({ path: "/v2/positions", status: 500, body: `<html>${"y".repeat(290)}${secret}</html>` });
    const page = await caught(b.positions());

    for (const err of [denied, echoed, slow, garbled, garbledLong, page]) {
      const everything = `${err.message}\n${err.stack ?? ""}\n${JSON.stringify(err)}\n${JSON.stringify(Object.entries(err))}`;
      expect(everything).not.toContain(secret);
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain(secret);
  });
});
