import { equityOf, exposureBook, isReducingInContext, referencePrice, worstExposure } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const POSITION_LIMIT = "POSITION_LIMIT";

/**
 * The position in the order's symbol after the order (worst case with open orders in
 * that symbol) at most maxPositionPct × equity. Orders that only reduce pass.
 */
export const positionLimitCheck: RiskCheck = (intent, ctx) => {
  if (isReducingInContext(intent, ctx)) return pass(POSITION_LIMIT, "Reduces an existing position.");
  const symbol = intent.symbol.toUpperCase();
  if (referencePrice(ctx) === null) return fail(POSITION_LIMIT, `No reference price for ${symbol}: cannot value the position after the order.`);
  const equity = equityOf(ctx);
  if (equity === null) return fail(POSITION_LIMIT, "Account equity is unknown: cannot check the position limit.");
  const book = exposureBook(ctx, intent);
  if (book.unpriced.includes(symbol)) return fail(POSITION_LIMIT, `Cannot value the ${symbol} position or its open orders: no price known.`);
  const e = book.entries.get(symbol);
  const after = e ? worstExposure(e) : 0;
  const cap = ctx.limits.maxPositionPct * equity;
  const detail = `${symbol} position after the order ${usd(after)} (${pct(after / equity)} of ${usd(equity)} equity)`;
  if (after > cap + 1e-6) return fail(POSITION_LIMIT, `${detail} exceeds the ${pct(ctx.limits.maxPositionPct)} per-symbol cap of ${usd(cap)}.`);
  return pass(POSITION_LIMIT, `${detail} within the ${pct(ctx.limits.maxPositionPct)} cap of ${usd(cap)}.`);
};
