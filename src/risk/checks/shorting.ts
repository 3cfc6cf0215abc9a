import { estimateOrder, isOpenOrder, positionQty, positive, referencePrice, remainingQty, QTY_EPSILON } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { shares } from "./format.js";
import { fail, pass } from "./result.js";

export const SHORTING = "SHORTING";

/**
 * No oversell: a sell plus the open sell orders in the symbol may not exceed the long
 * shares held — unless allowShort, in which case the excess opens (or adds to) a short,
 * which must be whole shares given as qty. Buys pass.
 */
export const shortingCheck: RiskCheck = (intent, ctx) => {
  if (intent.side !== "sell") return pass(SHORTING, "A buy cannot oversell.");
  const symbol = intent.symbol.toUpperCase();
  const ref = referencePrice(ctx);
  const pos = ctx.positions.find((p) => p.symbol === symbol);
  const qty = estimateOrder(intent, ref ?? (positive(pos?.currentPrice) ? pos.currentPrice : null)).qty;
  if (qty === null) return fail(SHORTING, `The number of ${symbol} shares sold is unknown (notional order without a price).`);
  let committed = 0;
  for (const o of ctx.openOrders) {
    if (o.symbol !== symbol || o.side !== "sell" || !isOpenOrder(o)) continue;
    const r = remainingQty(o, ref);
    if (r === null) return fail(SHORTING, `Cannot size an open ${symbol} sell order (notional, no price), so an oversell cannot be ruled out.`);
    committed += r;
  }
  const held = positionQty(symbol, ctx.positions);
  const long = Math.max(0, held);
  const available = Math.max(0, long - committed);
  const openNote = committed > 0 ? ` (${shares(committed)} already in open sell orders)` : "";
  if (qty <= available + QTY_EPSILON) return pass(SHORTING, `Sells ${shares(qty)} of the ${shares(long)} ${symbol} shares held${openNote}.`);
  const excess = qty - available;
  const position = held > 0 ? `the ${shares(long)} shares held${openNote}` : held < 0 ? `an existing short of ${shares(-held)} shares` : `no ${symbol} position${openNote}`;
  if (!ctx.limits.allowShort) {
    return fail(SHORTING, `Oversell: selling ${shares(qty)} ${symbol} against ${position} would sell ${shares(excess)} shares short, and short selling is disabled.`);
  }
  if (intent.notional !== undefined || !Number.isInteger(intent.qty)) return fail(SHORTING, "Short sales must be whole shares given as qty (no notional or fractional shorts).");
  return pass(SHORTING, `Short selling is enabled: this sells ${shares(excess)} ${symbol} shares short (against ${position}).`, `Opens or adds to a short of ${shares(excess)} ${symbol} shares.`);
};
