/**
 * Pure mapping between Alpaca's wire JSON and Argus's broker types (DESIGN §4).
 *
 * Alpaca sends decimals as strings ("151.23"), times as RFC 3339 strings with up to
 * nanosecond fractions, and snake_case keys; Argus uses numbers, epoch milliseconds and
 * camelCase. Everything here works on the documented wire shapes, not on the SDK's
 * model objects, so the tests can pin the mapping to literal Alpaca JSON.
 *
 * A missing or malformed required field throws an AlpacaMappingError: it is better to
 * fail loudly than to invent a quantity or a price.
 */
import type { trading } from "@alpacahq/alpaca-trade-api";
import { exchangeZone } from "../../data/calendar/zone.js";
import {
  ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCE,
  type Account, type BrokerOrder, type Fill, type OrderFilter, type OrderRequest, type OrderSide, type OrderStatus,
  type OrderType, type Position, type TimeInForce,
} from "../types.js";

export class AlpacaMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AlpacaMappingError";
  }
}

type Json = Record<string, unknown>;

function asObject(v: unknown, what: string): Json {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new AlpacaMappingError(`Alpaca ${what} is not a JSON object`);
  return v as Json;
}

export function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new AlpacaMappingError(`Alpaca ${what} is not a JSON array`);
  return v;
}

function str(o: Json, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") throw new AlpacaMappingError(`Alpaca ${what}.${key} is missing or not a string`);
  return v;
}

function optStr(o: Json, key: string): string | null {
  const v = o[key];
  return typeof v === "string" && v !== "" ? v : null;
}

/**
 * A wire value for an error message: whole when short, otherwise only described. Never
 * cut in the middle, so a caller scrubbing secrets from the message always sees them whole.
 */
function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length <= 40 ? s : `a ${typeof v === "string" ? `${v.length}-character string` : typeof v}`;
}

function toNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function num(o: Json, key: string, what: string): number {
  const n = toNumber(o[key]);
  if (n === null) throw new AlpacaMappingError(`Alpaca ${what}.${key} is missing or not a number (${show(o[key])})`);
  return n;
}

/** null/absent → null; present but not a number → error (a garbled price is not "no price"). */
function optNum(o: Json, key: string, what: string): number | null {
  const v = o[key];
  if (v === null || v === undefined || v === "") return null;
  const n = toNumber(v);
  if (n === null) throw new AlpacaMappingError(`Alpaca ${what}.${key} is not a number (${show(v)})`);
  return n;
}

function bool(o: Json, key: string, fallback: boolean): boolean {
  const v = o[key];
  return typeof v === "boolean" ? v : fallback;
}

const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms of an Alpaca RFC 3339 time. Alpaca sends microsecond or nanosecond fractions
 * ("2021-03-16T18:38:01.942282Z"); the fraction is cut to milliseconds before parsing
 * so the result does not depend on how lenient the JS engine's Date parser is.
 */
export function parseAlpacaTime(s: string): number {
  const m = ISO_RE.exec(s);
  const normalized = m ? `${m[1]}.${(m[2] ?? "").padEnd(3, "0").slice(0, 3)}${m[3]}` : s;
  const t = Date.parse(normalized);
  if (!Number.isFinite(t)) throw new AlpacaMappingError(`Alpaca time ${show(s)} is not RFC 3339`);
  return t;
}

function time(o: Json, key: string, what: string): number {
  return parseAlpacaTime(str(o, key, what));
}

function optTime(o: Json, key: string): number | null {
  const v = optStr(o, key);
  return v === null ? null : parseAlpacaTime(v);
}

function oneOf<T extends string>(allowed: readonly T[], v: unknown, what: string): T {
  if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
  throw new AlpacaMappingError(`Alpaca ${what} ${show(v)} is not one of ${allowed.join(", ")}`);
}

/**
 * Alpaca statuses Argus has no name for. `accepted_for_bidding` is an accepted order;
 * anything newer than this table is treated as `pending_new`: an open, unfilled order,
 * so risk checks still count it against buying power and exposure instead of ignoring it.
 */
function mapStatus(v: unknown): OrderStatus {
  if (typeof v === "string" && (ORDER_STATUSES as readonly string[]).includes(v)) return v as OrderStatus;
  if (v === "accepted_for_bidding") return "accepted";
  if (typeof v === "string" && v !== "") return "pending_new";
  throw new AlpacaMappingError(`Alpaca order.status ${show(v)} is missing`);
}

/** GET/POST /v2/orders[...] → BrokerOrder. */
export function mapOrder(json: unknown): BrokerOrder {
  const o = asObject(json, "order");
  const w = "order";
  const createdAt = time(o, "created_at", w);
  const submittedAt = optTime(o, "submitted_at") ?? createdAt;
  return {
    id: str(o, "id", w),
    clientOrderId: str(o, "client_order_id", w),
    symbol: str(o, "symbol", w),
    side: oneOf<OrderSide>(["buy", "sell"], o.side, "order.side"),
    // `order_type` is the older name of `type`; Alpaca still sends both.
    type: oneOf<OrderType>(ORDER_TYPES, o.type ?? o.order_type, "order.type"),
    timeInForce: oneOf<TimeInForce>(TIME_IN_FORCE, o.time_in_force, "order.time_in_force"),
    qty: optNum(o, "qty", w),
    notional: optNum(o, "notional", w),
    filledQty: optNum(o, "filled_qty", w) ?? 0,
    filledAvgPrice: optNum(o, "filled_avg_price", w),
    limitPrice: optNum(o, "limit_price", w),
    stopPrice: optNum(o, "stop_price", w),
    trailPercent: optNum(o, "trail_percent", w),
    trailPrice: optNum(o, "trail_price", w),
    hwm: optNum(o, "hwm", w),
    status: mapStatus(o.status),
    extendedHours: bool(o, "extended_hours", false),
    createdAt,
    submittedAt,
    updatedAt: optTime(o, "updated_at") ?? submittedAt,
    filledAt: optTime(o, "filled_at"),
    canceledAt: optTime(o, "canceled_at"),
    expiredAt: optTime(o, "expired_at"),
    failedAt: optTime(o, "failed_at"),
    // Alpaca's order object has no documented rejection reason; keep one if it is sent.
    rejectReason: optStr(o, "reject_reason"),
  };
}

/** GET /v2/positions item → Position. `asOf` is when the list was fetched (Alpaca sends no time). */
export function mapPosition(json: unknown, asOf: number): Position {
  const o = asObject(json, "position");
  const w = "position";
  const side = o.side === "short" ? "short" : "long";
  // Alpaca signs short quantities already; normalise in case a proxy does not.
  const absQty = Math.abs(num(o, "qty", w));
  const qty = side === "short" ? -absQty : absQty;
  const marketValue = num(o, "market_value", w);
  const avgEntryPrice = num(o, "avg_entry_price", w);
  return {
    symbol: str(o, "symbol", w),
    qty,
    side,
    avgEntryPrice,
    costBasis: num(o, "cost_basis", w),
    currentPrice: optNum(o, "current_price", w) ?? (absQty > 0 ? Math.abs(marketValue) / absQty : avgEntryPrice),
    priceAsOf: asOf,
    marketValue,
    unrealizedPl: optNum(o, "unrealized_pl", w) ?? 0,
    unrealizedPlpc: optNum(o, "unrealized_plpc", w) ?? 0,
  };
}

/** GET /v2/account → Account. */
export function mapAccount(json: unknown): Account {
  const o = asObject(json, "account");
  const w = "account";
  const currency = optStr(o, "currency") ?? "USD";
  if (currency !== "USD") throw new AlpacaMappingError(`Alpaca account currency ${currency} is not supported (USD only)`);
  return {
    currency: "USD",
    cash: num(o, "cash", w),
    equity: num(o, "equity", w),
    lastEquity: num(o, "last_equity", w),
    buyingPower: num(o, "buying_power", w),
    longMarketValue: optNum(o, "long_market_value", w) ?? 0,
    // As Alpaca reports it: zero or negative.
    shortMarketValue: optNum(o, "short_market_value", w) ?? 0,
    // The account endpoint does not report realised P&L (it would have to be summed
    // from FILL activities); 0 means "not provided", not "nothing realised".
    realizedPl: 0,
    daytradeCount: optNum(o, "daytrade_count", w) ?? 0,
    patternDayTrader: bool(o, "pattern_day_trader", false),
    // Any block stops trading as far as Argus is concerned.
    tradingBlocked: bool(o, "trading_blocked", false) || bool(o, "account_blocked", false) || bool(o, "trade_suspended_by_user", false),
    status: str(o, "status", w),
  };
}

/** One FILL activity, before its client order id is known (Alpaca does not send it). */
export interface FillActivity {
  id: string;
  orderId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  price: number;
  t: number;
}

/** GET /v2/account/activities/FILL item → FillActivity. */
export function mapFillActivity(json: unknown): FillActivity {
  const o = asObject(json, "fill activity");
  const w = "activity";
  const side = o.side === "sell_short" ? "sell" : oneOf<OrderSide>(["buy", "sell"], o.side, "activity.side");
  return {
    id: str(o, "id", w),
    orderId: str(o, "order_id", w),
    symbol: str(o, "symbol", w),
    side,
    qty: Math.abs(num(o, "qty", w)),
    price: num(o, "price", w),
    t: time(o, "transaction_time", w),
  };
}

export function toFill(a: FillActivity, clientOrderId: string): Fill {
  return { id: a.id, orderId: a.orderId, clientOrderId, symbol: a.symbol, side: a.side, qty: a.qty, price: a.price, t: a.t };
}

export interface MarketClock {
  timestamp: number;
  isOpen: boolean;
  nextOpen: number;
  nextClose: number;
}

/** GET /v2/clock → MarketClock. */
export function mapClock(json: unknown): MarketClock {
  const o = asObject(json, "clock");
  const w = "clock";
  if (typeof o.is_open !== "boolean") throw new AlpacaMappingError("Alpaca clock.is_open is missing");
  return { timestamp: time(o, "timestamp", w), isOpen: o.is_open, nextOpen: time(o, "next_open", w), nextClose: time(o, "next_close", w) };
}

export interface MarketDay {
  /** YYYY-MM-DD, exchange date. */
  date: string;
  /** Regular session, epoch ms. */
  open: number;
  close: number;
  /** Extended session (pre-market open, after-hours close), epoch ms, when Alpaca sends it. */
  sessionOpen: number | null;
  sessionClose: number | null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^(\d{2}):?(\d{2})$/;

/** "09:30" or "0400" on an exchange date → epoch ms in America/New_York. */
function exchangeTime(date: string, hhmm: string, what: string): number {
  const d = DATE_RE.exec(date);
  const t = HHMM_RE.exec(hhmm);
  if (!d || !t) throw new AlpacaMappingError(`Alpaca ${what} ${show(`${date} ${hhmm}`)} is not a date and time`);
  const ms = exchangeZone.toMillis(Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2]));
  if (ms === null) throw new AlpacaMappingError(`Alpaca ${what} ${date} ${hhmm} does not exist in America/New_York`);
  return ms;
}

/** GET /v2/calendar item → MarketDay. */
export function mapCalendarDay(json: unknown): MarketDay {
  const o = asObject(json, "calendar day");
  const w = "calendar";
  const date = str(o, "date", w);
  const so = optStr(o, "session_open");
  const sc = optStr(o, "session_close");
  return {
    date,
    open: exchangeTime(date, str(o, "open", w), "calendar.open"),
    close: exchangeTime(date, str(o, "close", w), "calendar.close"),
    sessionOpen: so === null ? null : exchangeTime(date, so, "calendar.session_open"),
    sessionClose: sc === null ? null : exchangeTime(date, sc, "calendar.session_close"),
  };
}

/**
 * A number as an Alpaca decimal string, never in exponent form (String(1e-7) is "1e-7",
 * which Alpaca rejects). Nine decimals cover Alpaca's fractional-share precision.
 */
export function decimalString(n: number): string {
  if (!Number.isFinite(n)) throw new AlpacaMappingError(`${n} is not a finite number`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(9).replace(/\.?0+$/, "");
}

/** OrderRequest → the SDK's PostOrderRequest (camelCase; the SDK writes the snake_case body). */
export function toPostOrderRequest(req: OrderRequest): trading.PostOrderRequest {
  const body: trading.PostOrderRequest = {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    timeInForce: req.timeInForce,
    clientOrderId: req.clientOrderId,
  };
  if (req.qty !== undefined) body.qty = decimalString(req.qty);
  if (req.notional !== undefined) body.notional = decimalString(req.notional);
  if (req.limitPrice !== undefined) body.limitPrice = decimalString(req.limitPrice);
  if (req.stopPrice !== undefined) body.stopPrice = decimalString(req.stopPrice);
  if (req.trailPercent !== undefined) body.trailPercent = decimalString(req.trailPercent);
  if (req.trailPrice !== undefined) body.trailPrice = decimalString(req.trailPrice);
  if (req.extendedHours !== undefined) body.extendedHours = req.extendedHours;
  return body;
}

/** Alpaca caps `limit` on GET /v2/orders at 500. */
export const MAX_ORDERS_LIMIT = 500;

/** OrderFilter → the SDK's GetAllOrdersRequest (newest first, as Alpaca's default). */
export function toGetAllOrdersRequest(filter: OrderFilter): trading.GetAllOrdersRequest {
  const q: trading.GetAllOrdersRequest = {
    status: filter.status,
    limit: Math.max(1, Math.min(MAX_ORDERS_LIMIT, Math.floor(filter.limit))),
    direction: "desc",
  };
  if (filter.after !== undefined) q.after = new Date(filter.after).toISOString();
  if (filter.until !== undefined) q.until = new Date(filter.until).toISOString();
  if (filter.symbols && filter.symbols.length > 0) q.symbols = filter.symbols.join(",");
  return q;
}
