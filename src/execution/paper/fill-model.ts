/**
 * The paper broker's per-bar fill rules, as pure functions (the broker feeds them bars
 * and persists what they decide). See paper-broker.ts for the whole model; in short:
 *
 * - market: the bar's OPEN, plus slippage (buy × (1 + bps/1e4), sell × (1 − bps/1e4));
 * - limit: only when the bar trades THROUGH the limit (buy: low < limit; sell: high >
 *   limit), at the better of the limit and the open (a gap through the limit fills at
 *   the open), no slippage;
 * - stop: triggers when the bar trades at/through the stop (buy: high ≥ stop; sell: low ≤
 *   stop) and fills at max(stop, open) for a buy / min(stop, open) for a sell, plus
 *   slippage; once triggered, later bars fill like a market order;
 * - stop_limit: triggers like a stop; on the trigger bar it fills only when the trigger
 *   price (max/min of stop and open) is already through the limit, at that price; from
 *   the next bar on it is a plain limit order;
 * - trailing_stop: the water mark moves to the bar's open first (a gap beyond the stop
 *   fills at the open), then the bar's low (sell) / high (buy) is checked against the
 *   stop, and only then does the mark take the bar's high (sell) / low (buy) — the order
 *   of the high and the low inside one bar is unknown, so a bar's own extreme never
 *   triggers that same bar's stop. Fills like a stop, plus slippage.
 *
 * Prices are rounded to the tick: cents at or above $1, 4 decimals below.
 */
import type { OrderSide, OrderType } from "../types.js";

/** A bar as the fill model sees it: `start` is when its opening price traded. */
export interface ModelBar {
  start: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The parts of an order the per-bar rules read and (for triggers and water marks) update. */
export interface TriggerState {
  side: OrderSide;
  type: OrderType;
  limitPrice: number | null;
  stopPrice: number | null;
  trailPercent: number | null;
  trailPrice: number | null;
  /** Trailing stops: high-water mark (sell) or low-water mark (buy). */
  hwm: number | null;
  /** Stops, stop-limits and trailing stops: set once the stop has been hit. */
  triggered: boolean;
}

export interface BarPrice {
  price: number;
  /** True when the fill happened at the bar's opening print (else somewhere inside the bar). */
  atOpen: boolean;
}

/** One tick: $0.01 at or above $1, $0.0001 below. */
export function tickSize(price: number): number {
  return price >= 1 ? 0.01 : 0.0001;
}

export function roundToTick(price: number): number {
  const f = price >= 1 ? 100 : 10_000;
  return Math.round(price * f) / f;
}

export function isOnTick(price: number): boolean {
  return Math.abs(roundToTick(price) - price) < 1e-9;
}

/** A market-like execution price: worse by `bps` basis points for the taker, on the tick. */
export function withSlippage(price: number, side: OrderSide, bps: number): number {
  return roundToTick(side === "buy" ? price * (1 + bps / 1e4) : price * (1 - bps / 1e4));
}

/** Share quantities keep 9 decimals (Alpaca's fractional precision); always rounded down. */
export function floorQty(q: number): number {
  if (q <= 0) return 0;
  // The small nudge keeps 0.3/0.1-style float noise from costing a whole nano-share.
  return Math.floor(q * 1e9 + 1e-6) / 1e9;
}

export function roundQty(q: number): number {
  return Math.round(q * 1e9) / 1e9;
}

/** The most one order may take from a bar: participation × volume, whole shares unless fractional. */
export function barCapacity(bar: ModelBar, participation: number, fractional: boolean): number {
  const cap = Math.max(0, participation * bar.volume);
  return fractional ? floorQty(cap) : Math.floor(cap + 1e-9);
}

/** The stop a trailing order sits at for a water mark. */
export function trailingStop(side: OrderSide, mark: number, trailPercent: number | null, trailPrice: number | null): number {
  if (trailPercent !== null) return roundToTick(side === "sell" ? mark * (1 - trailPercent / 100) : mark * (1 + trailPercent / 100));
  const offset = trailPrice ?? 0;
  return roundToTick(side === "sell" ? mark - offset : mark + offset);
}

/** Limit rule: only through the limit, at the better of limit and open. */
function limitPrice(side: OrderSide, limit: number, bar: ModelBar): BarPrice | null {
  const open = roundToTick(bar.open);
  if (side === "buy") {
    if (!(bar.low < limit)) return null;
    return bar.open < limit ? { price: Math.min(open, limit), atOpen: true } : { price: limit, atOpen: false };
  }
  if (!(bar.high > limit)) return null;
  return bar.open > limit ? { price: Math.max(open, limit), atOpen: true } : { price: limit, atOpen: false };
}

/** Stop trigger: the price the stop turns into a market order at on this bar, or null. */
function stopTrigger(side: OrderSide, stop: number, bar: ModelBar): BarPrice | null {
  if (side === "buy") {
    if (!(bar.high >= stop)) return null;
    return bar.open >= stop ? { price: bar.open, atOpen: true } : { price: stop, atOpen: false };
  }
  if (!(bar.low <= stop)) return null;
  return bar.open <= stop ? { price: bar.open, atOpen: true } : { price: stop, atOpen: false };
}

/**
 * Applies one bar to an order: updates its trigger and water mark in place and returns
 * the price it would execute at on this bar, or null when it does not execute here.
 * Quantity (participation, remaining size) is the caller's business.
 */
export function priceOnBar(o: TriggerState, bar: ModelBar, slippageBps: number): BarPrice | null {
  const market = (): BarPrice => ({ price: withSlippage(bar.open, o.side, slippageBps), atOpen: true });
  switch (o.type) {
    case "market":
      return market();
    case "limit":
      return limitPrice(o.side, o.limitPrice!, bar);
    case "stop": {
      if (o.triggered) return market();
      const hit = stopTrigger(o.side, o.stopPrice!, bar);
      if (!hit) return null;
      o.triggered = true;
      return { price: withSlippage(hit.price, o.side, slippageBps), atOpen: hit.atOpen };
    }
    case "stop_limit": {
      if (o.triggered) return limitPrice(o.side, o.limitPrice!, bar);
      const hit = stopTrigger(o.side, o.stopPrice!, bar);
      if (!hit) return null;
      o.triggered = true;
      const limit = o.limitPrice!;
      const p = roundToTick(hit.price);
      const through = o.side === "buy" ? hit.price < limit : hit.price > limit;
      return through ? { price: o.side === "buy" ? Math.min(p, limit) : Math.max(p, limit), atOpen: hit.atOpen } : null;
    }
    case "trailing_stop": {
      if (o.triggered) return market();
      const sell = o.side === "sell";
      o.hwm = o.hwm === null ? bar.open : sell ? Math.max(o.hwm, bar.open) : Math.min(o.hwm, bar.open);
      o.stopPrice = trailingStop(o.side, o.hwm, o.trailPercent, o.trailPrice);
      const hit = stopTrigger(o.side, o.stopPrice, bar);
      if (hit) {
        o.triggered = true;
        return { price: withSlippage(hit.price, o.side, slippageBps), atOpen: hit.atOpen };
      }
      o.hwm = sell ? Math.max(o.hwm, bar.high) : Math.min(o.hwm, bar.low);
      o.stopPrice = trailingStop(o.side, o.hwm, o.trailPercent, o.trailPrice);
      return null;
    }
  }
}

/**
 * An auction order (opg, cls) against the opening or closing print: market orders take
 * the print plus slippage; limit orders need the print strictly through the limit and
 * then get the print.
 */
export function auctionPrice(o: Pick<TriggerState, "side" | "type" | "limitPrice">, print: number, slippageBps: number): number | null {
  if (o.type === "market") return withSlippage(print, o.side, slippageBps);
  const limit = o.limitPrice!;
  if (o.side === "buy") return print < limit ? Math.min(roundToTick(print), limit) : null;
  return print > limit ? Math.max(roundToTick(print), limit) : null;
}
