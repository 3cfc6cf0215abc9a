import { OPEN_STATUSES, type BrokerOrder, type Position } from "../execution/types.js";
import type { OrderIntent, RiskContext } from "./types.js";

/**
 * Order arithmetic shared by the checks: estimated size, whether an order opens or
 * reduces, and the worst-case exposure book. Everything returns null (or lists what it
 * could not value) instead of guessing; the checks turn that into a fail-closed reject.
 */

/** Shares within this tolerance are equal (fractional quantities are floats). */
export const QTY_EPSILON = 1e-9;

/** A usable number: finite and strictly positive. */
export function positive(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x) && x > 0;
}

/** +1 for a buy, −1 for a sell. */
export function sideSign(side: OrderIntent["side"]): 1 | -1 {
  return side === "buy" ? 1 : -1;
}

export interface OrderEstimate {
  /** Reference price used (null when unknown). */
  price: number | null;
  /** Shares: the order's qty, or notional ÷ reference price. */
  qty: number | null;
  /** Dollars: the order's notional, or qty × reference price. */
  notional: number | null;
}

/**
 * The order's estimated qty and notional from the intent and the reference price:
 * notional = qty × reference price, or the given notional; qty = the given qty, or
 * notional ÷ reference price. Unknown parts are null.
 */
export function estimateOrder(intent: Pick<OrderIntent, "qty" | "notional">, referencePrice: number | null | undefined): OrderEstimate {
  const ref = positive(referencePrice) ? referencePrice : null;
  if (positive(intent.qty)) return { price: ref, qty: intent.qty, notional: ref === null ? null : intent.qty * ref };
  if (positive(intent.notional)) return { price: ref, qty: ref === null ? null : intent.notional / ref, notional: intent.notional };
  return { price: ref, qty: null, notional: null };
}

/** Signed shares held in `symbol` (negative for a short; 0 when flat). */
export function positionQty(symbol: string, positions: readonly Position[]): number {
  let q = 0;
  for (const p of positions) if (p.symbol === symbol && Number.isFinite(p.qty)) q += p.qty;
  return q;
}

/** Whether a broker order still works (may fill more). */
export function isOpenOrder(o: BrokerOrder): boolean {
  return OPEN_STATUSES.has(o.status);
}

/**
 * Shares an open order may still fill: qty − filled, or for a notional order the
 * unfilled dollars ÷ `price`. Null when that needs a price nobody knows.
 */
export function remainingQty(o: BrokerOrder, price: number | null | undefined): number | null {
  if (o.qty !== null && Number.isFinite(o.qty)) return Math.max(0, o.qty - (Number.isFinite(o.filledQty) ? o.filledQty : 0));
  const dollars = remainingNotional(o);
  if (dollars === null) return null;
  return positive(price) ? dollars / price : null;
}

/** Unfilled dollars of a notional order; null for a qty order. */
function remainingNotional(o: BrokerOrder): number | null {
  if (o.notional === null || !Number.isFinite(o.notional)) return null;
  const spent = Number.isFinite(o.filledQty) && positive(o.filledAvgPrice) ? o.filledQty * o.filledAvgPrice : 0;
  return Math.max(0, o.notional - spent);
}

export interface ReducingOptions {
  /** Reference price, for notional orders (else the position's current price is used). */
  referencePrice?: number | null;
  /**
   * Open orders: when given, shares already committed to open orders on the same side
   * are not available to reduce again (two sells of 80 against a long of 100 do not both
   * reduce).
   */
  openOrders?: readonly BrokerOrder[];
}

/**
 * True when the order only reduces an existing position: a sell against a long or a buy
 * against a short, for at most the shares held (less what open orders on the same side
 * already commit). Opening from flat, adding to a position, flipping through zero, or an
 * order whose size cannot be known is NOT reducing.
 */
export function isReducing(intent: Pick<OrderIntent, "symbol" | "side" | "qty" | "notional">, positions: readonly Position[], opts: ReducingOptions = {}): boolean {
  const symbol = intent.symbol.toUpperCase();
  const held = positionQty(symbol, positions);
  if (Math.abs(held) <= QTY_EPSILON) return false;
  const sign = sideSign(intent.side);
  if (Math.sign(held) === sign) return false;
  const pos = positions.find((p) => p.symbol === symbol);
  const px = positive(opts.referencePrice) ? opts.referencePrice : positive(pos?.currentPrice) ? pos.currentPrice : null;
  const qty = estimateOrder(intent, px).qty;
  if (qty === null) return false;
  let committed = 0;
  for (const o of opts.openOrders ?? []) {
    if (o.symbol !== symbol || o.side !== intent.side || !isOpenOrder(o)) continue;
    const r = remainingQty(o, px);
    if (r === null) return false;
    committed += r;
  }
  return qty + committed <= Math.abs(held) + QTY_EPSILON;
}

/**
 * One synchronous evaluation's memo: several checks need the same derived values (is
 * the order reducing? the exposure book), and computing them once keeps the firewall
 * inside its latency budget. Active only inside `withEvaluationScope` for that exact
 * (intent, ctx) pair; a check called on its own computes afresh. Checks only read
 * what they get from it.
 */
interface EvaluationScope {
  intent: OrderIntent;
  ctx: RiskContext;
  reducing?: boolean;
  book?: ExposureBook;
}
let scope: EvaluationScope | null = null;

/** Runs `fn` (all checks of one evaluation) with derived values shared between checks. */
export function withEvaluationScope<T>(intent: OrderIntent, ctx: RiskContext, fn: () => T): T {
  const previous = scope;
  scope = { intent, ctx };
  try {
    return fn();
  } finally {
    scope = previous;
  }
}

function activeScope(intent: OrderIntent | null, ctx: RiskContext): EvaluationScope | null {
  return scope !== null && scope.ctx === ctx && scope.intent === intent ? scope : null;
}

/** isReducing with everything the context knows (reference price and open orders). */
export function isReducingInContext(intent: OrderIntent, ctx: RiskContext): boolean {
  const s = activeScope(intent, ctx);
  if (s?.reducing !== undefined) return s.reducing;
  const reducing = isReducing(intent, ctx.positions, { referencePrice: ctx.price?.price ?? null, openOrders: ctx.openOrders });
  if (s) s.reducing = reducing;
  return reducing;
}

/** Equity to size against: the equity marks' current value, else the account's; null when unknown or not positive. */
export function equityOf(ctx: RiskContext): number | null {
  const e = ctx.equity?.current ?? ctx.account?.equity ?? null;
  return positive(e) ? e : null;
}

/** The reference price of the order's symbol, or null when missing or not a positive number. */
export function referencePrice(ctx: RiskContext): number | null {
  const p = ctx.price?.price;
  return positive(p) ? p : null;
}

/**
 * The order's worst-case dollar value: its notional, or qty × the highest of the
 * reference, limit and stop prices (a buy limit above the market may fill at its
 * limit). Null when the reference price is unknown.
 */
export function orderValue(intent: OrderIntent, ref: number | null): number | null {
  if (ref === null) return null;
  if (positive(intent.notional) && !positive(intent.qty)) return intent.notional;
  if (!positive(intent.qty)) return null;
  let px = ref;
  if (positive(intent.limitPrice) && intent.limitPrice > px) px = intent.limitPrice;
  if (positive(intent.stopPrice) && intent.stopPrice > px) px = intent.stopPrice;
  return intent.qty * px;
}

/** One symbol in the exposure book, in dollars. */
export interface ExposureEntry {
  symbol: string;
  /** Signed market value held now. */
  position: number;
  /** Dollars of open (and the new) buy orders that may still fill. */
  buys: number;
  /** Dollars of open (and the new) sell orders that may still fill. */
  sells: number;
}

/** Worst-case absolute exposure of a symbol: every buy fills, or every sell fills. */
export function worstExposure(e: ExposureEntry): number {
  return Math.max(Math.abs(e.position + e.buys), Math.abs(e.position - e.sells));
}

export interface ExposureBook {
  entries: Map<string, ExposureEntry>;
  /** Symbols (positions or open orders) that could not be valued: no price known. */
  unpriced: string[];
}

/**
 * The book as dollars per symbol: positions plus open orders plus (optionally) the new
 * order. Open orders count as if they may fill, so a protective stop does not double a
 * position's exposure (the worst case is "all buys fill" or "all sells fill", not both).
 * Prices: the reference price for the order's symbol, then the position's current price,
 * then ctx.priceOf; open orders take the highest of that and their own limit/stop prices.
 */
export function exposureBook(ctx: RiskContext, intent: OrderIntent | null): ExposureBook {
  const s = activeScope(intent, ctx);
  if (s?.book) return s.book;
  const book = computeExposureBook(ctx, intent);
  if (s) s.book = book;
  return book;
}

function computeExposureBook(ctx: RiskContext, intent: OrderIntent | null): ExposureBook {
  const entries = new Map<string, ExposureEntry>();
  const unpriced: string[] = [];
  const orderSymbol = intent ? intent.symbol.toUpperCase() : null;
  const ref = referencePrice(ctx);
  const entry = (symbol: string): ExposureEntry => {
    let e = entries.get(symbol);
    if (!e) {
      e = { symbol, position: 0, buys: 0, sells: 0 };
      entries.set(symbol, e);
    }
    return e;
  };
  const heldPrice = new Map<string, number>();
  const priceFor = (symbol: string): number | null => {
    if (symbol === orderSymbol && ref !== null) return ref;
    const held = heldPrice.get(symbol);
    if (held !== undefined) return held;
    const p = ctx.priceOf(symbol);
    return positive(p) ? p : null;
  };
  for (const p of ctx.positions) {
    if (!Number.isFinite(p.qty) || p.qty === 0) continue;
    const px = p.symbol === orderSymbol && ref !== null ? ref : positive(p.currentPrice) ? p.currentPrice : priceFor(p.symbol);
    if (px === null) {
      unpriced.push(p.symbol);
      continue;
    }
    heldPrice.set(p.symbol, px);
    entry(p.symbol).position += p.qty * px;
  }
  for (const o of ctx.openOrders) {
    if (!isOpenOrder(o)) continue;
    let px = priceFor(o.symbol);
    if (positive(o.limitPrice) && (px === null || o.limitPrice > px)) px = o.limitPrice;
    if (positive(o.stopPrice) && (px === null || o.stopPrice > px)) px = o.stopPrice;
    const dollars = o.qty === null ? remainingNotional(o) : px === null ? null : (remainingQty(o, px) ?? 0) * px;
    if (dollars === null) {
      unpriced.push(o.symbol);
      continue;
    }
    if (dollars === 0) continue;
    const e = entry(o.symbol);
    if (o.side === "buy") e.buys += dollars;
    else e.sells += dollars;
  }
  if (intent && orderSymbol !== null) {
    const v = orderValue(intent, ref);
    if (v === null) unpriced.push(orderSymbol);
    else {
      const e = entry(orderSymbol);
      if (intent.side === "buy") e.buys += v;
      else e.sells += v;
    }
  }
  return { entries, unpriced };
}
