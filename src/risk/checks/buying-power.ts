import { estimateOrder, isOpenOrder, orderValue, positionQty, positive, referencePrice, remainingQty, QTY_EPSILON } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { shares, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const BUYING_POWER = "BUYING_POWER";

/**
 * Cost of the order plus every open buy order at most the account's buying power.
 * Buys cost their worst-case value (notional, or qty × the highest of reference, limit
 * and stop); a sell costs only the part that would open a short (beyond the shares held
 * and not already committed to open sells). Open buys are valued at the highest of their
 * limit/stop price and the symbol's price; one that cannot be valued rejects.
 */
export const buyingPowerCheck: RiskCheck = (intent, ctx) => {
  const account = ctx.account;
  if (account === null) return fail(BUYING_POWER, "No account information: buying power is unknown.");
  if (!Number.isFinite(account.buyingPower)) return fail(BUYING_POWER, "The account's buying power is not a number.");
  const symbol = intent.symbol.toUpperCase();
  const ref = referencePrice(ctx);
  let cost: number;
  let what: string;
  if (intent.side === "buy") {
    const v = orderValue(intent, ref);
    if (v === null) return fail(BUYING_POWER, `No reference price for ${symbol}: the cost of the order is unknown.`);
    cost = v;
    what = `order cost ${usd(cost)}`;
  } else {
    const qty = estimateOrder(intent, ref).qty;
    if (qty === null) return fail(BUYING_POWER, `No reference price for ${symbol}: the size of the sell is unknown.`);
    let committed = 0;
    for (const o of ctx.openOrders) {
      if (o.symbol !== symbol || o.side !== "sell" || !isOpenOrder(o)) continue;
      const r = remainingQty(o, ref);
      if (r === null) return fail(BUYING_POWER, `Cannot size an open ${symbol} sell order (notional, no price).`);
      committed += r;
    }
    const available = Math.max(0, positionQty(symbol, ctx.positions) - committed);
    const shortQty = qty - available;
    if (shortQty <= QTY_EPSILON) return pass(BUYING_POWER, `Sells shares held: uses no buying power (${usd(account.buyingPower)} available).`);
    if (ref === null) return fail(BUYING_POWER, `No reference price for ${symbol}: the cost of the short is unknown.`);
    cost = shortQty * ref;
    what = `short sale of ${shares(shortQty)} shares ${usd(cost)}`;
  }
  let openBuys = 0;
  for (const o of ctx.openOrders) {
    if (o.side !== "buy" || !isOpenOrder(o)) continue;
    if (o.qty === null) {
      const r = remainingQty(o, 1);
      if (r === null) return fail(BUYING_POWER, `Cannot value the open ${o.symbol} buy order.`);
      openBuys += r; // notional orders: remaining dollars
      continue;
    }
    let px = o.symbol === symbol ? ref : ctx.priceOf(o.symbol);
    if (!positive(px)) px = null;
    if (positive(o.limitPrice) && (px === null || o.limitPrice > px)) px = o.limitPrice;
    if (positive(o.stopPrice) && (px === null || o.stopPrice > px)) px = o.stopPrice;
    if (px === null) return fail(BUYING_POWER, `Cannot value the open ${o.symbol} buy order: no price known.`);
    openBuys += (remainingQty(o, px) ?? 0) * px;
  }
  const needed = cost + openBuys;
  const detail = `${what[0]!.toUpperCase()}${what.slice(1)}${openBuys > 0 ? ` + ${usd(openBuys)} in open buy orders = ${usd(needed)}` : ""}`;
  if (needed > account.buyingPower + 1e-6) return fail(BUYING_POWER, `${detail} exceeds the ${usd(account.buyingPower)} buying power.`);
  return pass(BUYING_POWER, `${detail} within the ${usd(account.buyingPower)} buying power.`);
};
