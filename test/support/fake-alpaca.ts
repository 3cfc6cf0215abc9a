/**
 * A local stand-in for Alpaca's Trading API, for tests that drive the real SDK over
 * HTTP (DESIGN §4). It listens on 127.0.0.1 (ephemeral port) and speaks the endpoints
 * the Alpaca adapter uses, with Alpaca's JSON shapes: decimal strings, RFC 3339 times,
 * snake_case keys, `{ code, message }` error bodies.
 *
 *   GET    /v2/account
 *   GET    /v2/positions
 *   POST   /v2/orders                       (422 on a reused client_order_id, 403 on
 *                                            insufficient buying power)
 *   GET    /v2/orders?status&limit&after&until&symbols&direction
 *   GET    /v2/orders/{id}
 *   GET    /v2/orders:by_client_order_id?client_order_id=
 *   DELETE /v2/orders/{id}                  (204; 422 when no longer cancelable)
 *   GET    /v2/account/activities/FILL?after&until&direction&page_size&page_token
 *   GET    /v2/clock
 *   GET    /v2/calendar?start&end
 *
 * Every request needs APCA-API-KEY-ID and APCA-API-SECRET-KEY: missing → 401, wrong → 403.
 *
 * Scripting: `fail(next)` queues a one-shot behaviour for the next request matching a
 * path (and method):
 *   { path, status, body }          answer with this instead of handling the request;
 *   { path, delayMs }               handle it (an order IS recorded) but answer only after
 *                                   delayMs — longer than the client timeout, this is an
 *                                   uncertain submit the client cannot see succeed;
 *   { path, delayMs, record: false } hold the connection for delayMs without handling the
 *                                   request, then drop it;
 *   { path, reset: true, record? }  drop the connection at once (after handling it when
 *                                   record is true).
 * `fillOrder(id, qty, price)` fills (part of) an open order; `requests` logs every call.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_ALPACA_KEY_ID = "PKFAKEKEYID0000000001";
export const FAKE_ALPACA_SECRET = "fake-secret-3f9c1e7a5b2d4c6e8a0b";

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. "/v2/orders" or "/v2/orders:by_client_order_id". */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Whether the request carried the right key id and secret. */
  authorized: boolean;
  t: number;
}

interface FailBase {
  /** Exact path (no query), or a pattern tested against it. */
  path: string | RegExp;
  /** Only requests with this method match (any method when omitted). */
  method?: string;
}
export type FailSpec =
  | (FailBase & { status: number; body?: unknown; delayMs?: number })
  | (FailBase & { delayMs: number; record?: boolean })
  | (FailBase & { reset: true; record?: boolean });

export interface FakePositionInput {
  symbol: string;
  /** Signed: negative for a short. */
  qty: number;
  avgEntryPrice: number;
  currentPrice?: number;
}

export interface FakeAlpaca {
  url: string;
  keyId: string;
  secretKey: string;
  requests: RecordedRequest[];
  /** Requests matching a method and path. */
  count(method: string, path: string): number;
  fail(next: FailSpec): void;
  /** Fills `qty` more of an open order at `price`; returns the order JSON. */
  fillOrder(id: string, qty: number, price: number): Json;
  /** The stored orders, oldest first (copies). */
  orders(): Json[];
  /** Overrides fields of the account JSON (e.g. { buying_power: "0", trading_blocked: true }). */
  setAccount(patch: Json): void;
  setPosition(p: FakePositionInput): void;
  /** Last price of a symbol: marks positions and prices market orders for the buying power check. */
  setPrice(symbol: string, price: number): void;
  setClock(clock: Json): void;
  close(): Promise<void>;
}

/** Alpaca's decimal strings: plain notation, up to 9 decimals. */
function dec(n: number): string {
  const r = Math.round(n * 1e9) / 1e9;
  return Object.is(r, -0) ? "0" : String(r).includes("e") ? r.toFixed(9).replace(/\.?0+$/, "") : String(r);
}

/** Alpaca-style time: microsecond precision. */
function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

const OPEN = new Set(["new", "accepted", "pending_new", "partially_filled", "held", "accepted_for_bidding", "pending_cancel", "pending_replace", "done_for_day"]);
const TYPES = new Set(["market", "limit", "stop", "stop_limit", "trailing_stop"]);
const TIFS = new Set(["day", "gtc", "opg", "cls", "ioc", "fok"]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}
const unprocessable = (message: string) => new HttpError(422, { code: 40010001, message });
const notFound = (message = "order not found") => new HttpError(404, { code: 40410000, message });

function positiveDecimal(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) throw unprocessable(`invalid ${field}`);
  return n;
}

interface PositionState {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
}

export async function startFakeAlpaca(opts: { keyId?: string; secretKey?: string; cash?: number } = {}): Promise<FakeAlpaca> {
  const keyId = opts.keyId ?? FAKE_ALPACA_KEY_ID;
  const secretKey = opts.secretKey ?? FAKE_ALPACA_SECRET;
  const requests: RecordedRequest[] = [];
  const failures: FailSpec[] = [];
  const orders: Json[] = [];
  const fills: Json[] = [];
  const positions = new Map<string, PositionState>();
  const prices = new Map<string, number>();
  const usedClientIds = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let cash = opts.cash ?? 100_000;
  let accountPatch: Json = {};
  const accountId = randomUUID();
  const createdAt = iso(Date.now() - 86_400_000 * 30);
  let clockOverride: Json | null = null;

  const priceOf = (symbol: string): number | undefined => prices.get(symbol) ?? positions.get(symbol)?.avgEntryPrice;

  function positionJson(p: PositionState): Json {
    const current = prices.get(p.symbol) ?? p.avgEntryPrice;
    const marketValue = p.qty * current;
    const costBasis = p.qty * p.avgEntryPrice;
    const pl = marketValue - costBasis;
    return {
      asset_id: randomUUID(),
      symbol: p.symbol,
      exchange: "NASDAQ",
      asset_class: "us_equity",
      asset_marginable: true,
      qty: dec(p.qty),
      qty_available: dec(p.qty),
      avg_entry_price: dec(p.avgEntryPrice),
      side: p.qty < 0 ? "short" : "long",
      market_value: dec(marketValue),
      cost_basis: dec(costBasis),
      unrealized_pl: dec(pl),
      unrealized_plpc: dec(costBasis === 0 ? 0 : pl / Math.abs(costBasis)),
      unrealized_intraday_pl: dec(pl),
      unrealized_intraday_plpc: dec(costBasis === 0 ? 0 : pl / Math.abs(costBasis)),
      current_price: dec(current),
      lastday_price: dec(current),
      change_today: "0",
    };
  }

  function accountJson(): Json {
    let longMv = 0;
    let shortMv = 0;
    for (const p of positions.values()) {
      const mv = p.qty * (prices.get(p.symbol) ?? p.avgEntryPrice);
      if (mv >= 0) longMv += mv;
      else shortMv += mv;
    }
    const equity = cash + longMv + shortMv;
    return {
      id: accountId,
      account_number: "PA3FAKE00001",
      status: "ACTIVE",
      crypto_status: "ACTIVE",
      currency: "USD",
      cash: dec(cash),
      portfolio_value: dec(equity),
      non_marginable_buying_power: dec(Math.max(0, cash)),
      accrued_fees: "0",
      pending_transfer_in: "0",
      pending_transfer_out: "0",
      pattern_day_trader: false,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      created_at: createdAt,
      trade_suspended_by_user: false,
      multiplier: "1",
      shorting_enabled: false,
      equity: dec(equity),
      last_equity: dec(equity),
      long_market_value: dec(longMv),
      short_market_value: dec(shortMv),
      position_market_value: dec(longMv - shortMv),
      initial_margin: "0",
      maintenance_margin: "0",
      last_maintenance_margin: "0",
      sma: "0",
      daytrade_count: 0,
      balance_asof: iso(Date.now()).slice(0, 10),
      regt_buying_power: dec(Math.max(0, cash)),
      daytrading_buying_power: "0",
      effective_buying_power: dec(Math.max(0, cash)),
      buying_power: dec(Math.max(0, cash)),
      ...accountPatch,
    };
  }

  function clockJson(): Json {
    if (clockOverride) return clockOverride;
    const now = Date.now();
    return { timestamp: iso(now), is_open: true, next_open: iso(now + 86_400_000), next_close: iso(now + 3_600_000) };
  }

  function createOrder(body: unknown): Json {
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, { code: 40010000, message: "request body format is invalid" });
    const b = body as Json;
    const symbol = typeof b.symbol === "string" ? b.symbol.toUpperCase() : "";
    if (!symbol) throw unprocessable("symbol is required");
    if (b.side !== "buy" && b.side !== "sell") throw unprocessable("invalid side");
    if (typeof b.type !== "string" || !TYPES.has(b.type)) throw unprocessable("invalid order type");
    if (typeof b.time_in_force !== "string" || !TIFS.has(b.time_in_force)) throw unprocessable("invalid time_in_force");
    const qty = positiveDecimal(b.qty, "qty");
    const notional = positiveDecimal(b.notional, "notional");
    if (qty === undefined && notional === undefined) throw unprocessable("qty or notional is required");
    if (qty !== undefined && notional !== undefined) throw unprocessable("only one of qty or notional can be specified");
    if (notional !== undefined && (b.type !== "market" || b.time_in_force !== "day")) throw unprocessable("notional orders must be market orders with time_in_force day");
    const limit = positiveDecimal(b.limit_price, "limit_price");
    const stop = positiveDecimal(b.stop_price, "stop_price");
    const trailPrice = positiveDecimal(b.trail_price, "trail_price");
    const trailPercent = positiveDecimal(b.trail_percent, "trail_percent");
    if ((b.type === "limit" || b.type === "stop_limit") && limit === undefined) throw unprocessable("limit_price is required");
    if ((b.type === "stop" || b.type === "stop_limit") && stop === undefined) throw unprocessable("stop_price is required");
    if (b.type === "trailing_stop" && (trailPrice === undefined) === (trailPercent === undefined)) throw unprocessable("one of trail_price or trail_percent is required");
    const clientOrderId = b.client_order_id === undefined ? randomUUID() : b.client_order_id;
    if (typeof clientOrderId !== "string" || clientOrderId.length === 0) throw unprocessable("invalid client_order_id");
    if (clientOrderId.length > 48) throw unprocessable("client_order_id must be no more than 48 characters");
    // Unique forever, even after a cancel (Alpaca's rule).
    if (usedClientIds.has(clientOrderId)) throw unprocessable("client_order_id must be unique");
    if (b.side === "buy") {
      const price = limit ?? stop ?? priceOf(symbol);
      const cost = notional ?? (qty !== undefined && price !== undefined ? qty * price : 0);
      const buyingPower = Number(accountJson().buying_power);
      if (cost > buyingPower) {
        throw new HttpError(403, { buying_power: dec(buyingPower), code: 40310000, cost_basis: dec(cost), message: "insufficient buying power" });
      }
    }
    usedClientIds.add(clientOrderId);
    const now = iso(Date.now());
    const order: Json = {
      id: randomUUID(),
      client_order_id: clientOrderId,
      created_at: now,
      updated_at: now,
      submitted_at: now,
      filled_at: null,
      expired_at: null,
      canceled_at: null,
      failed_at: null,
      replaced_at: null,
      replaced_by: null,
      replaces: null,
      asset_id: randomUUID(),
      symbol,
      asset_class: "us_equity",
      notional: notional === undefined ? null : dec(notional),
      qty: qty === undefined ? null : dec(qty),
      filled_qty: "0",
      filled_avg_price: null,
      order_class: "",
      order_type: b.type,
      type: b.type,
      side: b.side,
      position_intent: b.side === "buy" ? "buy_to_open" : "sell_to_close",
      time_in_force: b.time_in_force,
      limit_price: limit === undefined ? null : dec(limit),
      stop_price: stop === undefined ? null : dec(stop),
      status: clockJson().is_open === true ? "new" : "accepted",
      extended_hours: b.extended_hours === true,
      legs: null,
      trail_percent: trailPercent === undefined ? null : dec(trailPercent),
      trail_price: trailPrice === undefined ? null : dec(trailPrice),
      hwm: b.type === "trailing_stop" ? dec(priceOf(symbol) ?? 0) : null,
      expires_at: null,
    };
    orders.push(order);
    return order;
  }

  function findOrder(id: string): Json {
    const o = orders.find((x) => x.id === id);
    if (!o) throw notFound();
    return o;
  }

  function listOrders(q: Record<string, string>): Json[] {
    const status = q.status ?? "open";
    const limit = Math.min(500, Math.max(1, Number(q.limit ?? 50) || 50));
    const symbols = q.symbols ? new Set(q.symbols.split(",").map((s) => s.trim().toUpperCase())) : null;
    const after = q.after ? Date.parse(q.after) : null;
    const until = q.until ? Date.parse(q.until) : null;
    const submitted = (o: Json) => Date.parse(String(o.submitted_at));
    const rows = orders.filter((o) => {
      const open = OPEN.has(String(o.status));
      if (status === "open" && !open) return false;
      if (status === "closed" && open) return false;
      if (symbols && !symbols.has(String(o.symbol))) return false;
      if (after !== null && !(submitted(o) > after)) return false;
      if (until !== null && !(submitted(o) < until)) return false;
      return true;
    });
    rows.sort((a, b) => submitted(a) - submitted(b));
    if (q.direction !== "asc") rows.reverse();
    return rows.slice(0, limit);
  }

  function listFills(q: Record<string, string>): Json[] {
    const after = q.after ? Date.parse(q.after) : null;
    const until = q.until ? Date.parse(q.until) : null;
    const size = Math.min(100, Math.max(1, Number(q.page_size ?? 100) || 100));
    const t = (a: Json) => Date.parse(String(a.transaction_time));
    let rows = fills.filter((a) => (after === null || t(a) > after) && (until === null || t(a) < until));
    if (q.direction === "desc") rows = rows.slice().reverse();
    if (q.page_token) {
      const i = rows.findIndex((a) => a.id === q.page_token);
      rows = i >= 0 ? rows.slice(i + 1) : [];
    }
    return rows.slice(0, size);
  }

  function calendar(q: Record<string, string>): Json[] {
    const start = (q.start ?? new Date().toISOString()).slice(0, 10);
    const end = (q.end ?? start).slice(0, 10);
    const out: Json[] = [];
    for (let d = Date.parse(`${start}T00:00:00Z`); d <= Date.parse(`${end}T00:00:00Z`); d += 86_400_000) {
      const day = new Date(d).getUTCDay();
      if (day === 0 || day === 6) continue;
      const date = new Date(d).toISOString().slice(0, 10);
      out.push({ date, open: "09:30", close: "16:00", session_open: "0400", session_close: "2000", settlement_date: date });
    }
    return out;
  }

  function fillOrder(id: string, qty: number, price: number): Json {
    const o = findOrder(id);
    if (!OPEN.has(String(o.status))) throw new Error(`order ${id} is ${String(o.status)}, not open`);
    const ordered = o.qty === null ? Number(o.notional) / price : Number(o.qty);
    const done = Number(o.filled_qty);
    if (!(qty > 0) || done + qty > ordered + 1e-9) throw new Error(`cannot fill ${qty} of ${ordered - done} remaining`);
    const cum = done + qty;
    const avg = ((o.filled_avg_price === null ? 0 : Number(o.filled_avg_price)) * done + price * qty) / cum;
    const complete = Math.abs(cum - ordered) < 1e-9;
    const now = Date.now();
    Object.assign(o, {
      filled_qty: dec(cum),
      filled_avg_price: dec(avg),
      status: complete ? "filled" : "partially_filled",
      updated_at: iso(now),
      filled_at: complete ? iso(now) : null,
    });
    fills.push({
      id: `${new Date(now).toISOString().replace(/\D/g, "").slice(0, 17)}::${randomUUID()}`,
      activity_type: "FILL",
      transaction_time: iso(now),
      type: complete ? "fill" : "partial_fill",
      price: dec(price),
      qty: dec(qty),
      side: o.side,
      symbol: o.symbol,
      leaves_qty: dec(ordered - cum),
      order_id: o.id,
      cum_qty: dec(cum),
      order_status: o.status,
    });
    const signed = o.side === "buy" ? qty : -qty;
    const symbol = String(o.symbol);
    const p = positions.get(symbol) ?? { symbol, qty: 0, avgEntryPrice: price };
    const nextQty = p.qty + signed;
    if (Math.abs(nextQty) < 1e-9) positions.delete(symbol);
    else {
      const grows = Math.sign(p.qty) === Math.sign(signed) || p.qty === 0;
      positions.set(symbol, { symbol, qty: nextQty, avgEntryPrice: grows ? (p.avgEntryPrice * Math.abs(p.qty) + price * qty) / Math.abs(nextQty) : Math.sign(nextQty) === Math.sign(p.qty) ? p.avgEntryPrice : price });
    }
    cash -= signed * price;
    return { ...o };
  }

  function route(method: string, path: string, q: Record<string, string>, body: unknown): { status: number; body?: unknown } {
    if (method === "GET" && path === "/v2/account") return { status: 200, body: accountJson() };
    if (method === "GET" && path === "/v2/positions") return { status: 200, body: [...positions.values()].map(positionJson) };
    if (method === "GET" && path === "/v2/clock") return { status: 200, body: clockJson() };
    if (method === "GET" && path === "/v2/calendar") return { status: 200, body: calendar(q) };
    if (method === "GET" && path === "/v2/account/activities/FILL") return { status: 200, body: listFills(q) };
    if (path === "/v2/orders") {
      if (method === "POST") return { status: 200, body: createOrder(body) };
      if (method === "GET") return { status: 200, body: listOrders(q) };
    }
    if (method === "GET" && path === "/v2/orders:by_client_order_id") {
      const o = orders.find((x) => x.client_order_id === q.client_order_id);
      if (!o) throw notFound();
      return { status: 200, body: o };
    }
    const m = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (m?.[1]) {
      const id = decodeURIComponent(m[1]);
      if (method === "GET") return { status: 200, body: findOrder(id) };
      if (method === "DELETE") {
        const o = findOrder(id);
        if (!OPEN.has(String(o.status))) throw new HttpError(422, { code: 42210000, message: "order is not cancelable" });
        const now = iso(Date.now());
        Object.assign(o, { status: "canceled", canceled_at: now, updated_at: now });
        return { status: 204 };
      }
    }
    return { status: 404, body: { code: 40410000, message: "endpoint not found" } };
  }

  function matches(f: FailSpec, method: string, path: string): boolean {
    if (f.method && f.method.toUpperCase() !== method) return false;
    return typeof f.path === "string" ? f.path === path : f.path.test(path);
  }

  function later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  function send(res: ServerResponse, status: number, body?: unknown): void {
    if (res.destroyed || res.writableEnded) return;
    if (body === undefined || status === 204) {
      res.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json; charset=UTF-8", "Content-Length": Buffer.byteLength(text), "X-Request-ID": randomUUID() });
    res.end(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    res.on("error", () => undefined);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const path = decodeURIComponent(url.pathname);
    const query = Object.fromEntries(url.searchParams.entries());
    let body: unknown = undefined;
    let malformed = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        malformed = true;
      }
    }
    const authorized = req.headers["apca-api-key-id"] === keyId && req.headers["apca-api-secret-key"] === secretKey;
    requests.push({ method, path, query, body, authorized, t: Date.now() });

    if (!req.headers["apca-api-key-id"] || !req.headers["apca-api-secret-key"]) {
      send(res, 401, { code: 40110000, message: "request is not authorized" });
      return;
    }
    if (!authorized) {
      send(res, 403, { code: 40310000, message: "forbidden" });
      return;
    }

    const i = failures.findIndex((f) => matches(f, method, path));
    const script = i >= 0 ? failures.splice(i, 1)[0] : undefined;
    if (script && "status" in script) {
      later(script.delayMs ?? 0, () => send(res, script.status, script.body));
      return;
    }
    if (script && ("reset" in script || script.record === false)) {
      if (script.record === true) run();
      if ("reset" in script) res.socket?.destroy();
      else later(script.delayMs, () => res.socket?.destroy());
      return;
    }
    const result = run();
    if (script) later(script.delayMs, () => send(res, result.status, result.body));
    else send(res, result.status, result.body);

    function run(): { status: number; body?: unknown } {
      if (malformed) return { status: 400, body: { code: 40010000, message: "request body format is invalid" } };
      try {
        return route(method, path, query, body);
      } catch (err) {
        if (err instanceof HttpError) return { status: err.status, body: err.body };
        return { status: 500, body: { code: 50010000, message: "internal server error" } };
      }
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    keyId,
    secretKey,
    requests,
    count: (method, path) => requests.filter((r) => r.method === method.toUpperCase() && r.path === path).length,
    fail: (next) => {
      failures.push(next);
    },
    fillOrder,
    orders: () => orders.map((o) => ({ ...o })),
    setAccount: (patch) => {
      accountPatch = { ...accountPatch, ...patch };
    },
    setPosition: (p) => {
      if (p.qty === 0) positions.delete(p.symbol);
      else positions.set(p.symbol, { symbol: p.symbol, qty: p.qty, avgEntryPrice: p.avgEntryPrice });
      if (p.currentPrice !== undefined) prices.set(p.symbol, p.currentPrice);
    },
    setPrice: (symbol, price) => {
      prices.set(symbol, price);
    },
    setClock: (clock) => {
      clockOverride = clock;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
