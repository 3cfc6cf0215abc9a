import { isOpenOrder, isReducingInContext, QTY_EPSILON } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { fail, pass } from "./result.js";

export const MAX_OPEN_POSITIONS = "MAX_OPEN_POSITIONS";

/**
 * Opening a position in a new symbol is refused when the book already holds
 * maxOpenPositions symbols, counting symbols that open orders are about to open.
 * Adding to or reducing a held symbol passes.
 */
export const maxOpenPositionsCheck: RiskCheck = (intent, ctx) => {
  const symbol = intent.symbol.toUpperCase();
  if (isReducingInContext(intent, ctx)) return pass(MAX_OPEN_POSITIONS, `Reduces the ${symbol} position.`);
  const held = new Set<string>();
  for (const p of ctx.positions) if (Number.isFinite(p.qty) && Math.abs(p.qty) > QTY_EPSILON) held.add(p.symbol);
  const pending = new Set<string>();
  for (const o of ctx.openOrders) if (isOpenOrder(o) && !held.has(o.symbol)) pending.add(o.symbol);
  const max = ctx.limits.maxOpenPositions;
  if (held.has(symbol)) return pass(MAX_OPEN_POSITIONS, `${symbol} is already held: no new position (${held.size} of ${max} open).`);
  if (pending.has(symbol)) return pass(MAX_OPEN_POSITIONS, `${symbol} already has an open order counted as a position (${held.size + pending.size} of ${max}).`);
  const count = held.size + pending.size;
  const counted = pending.size > 0 ? `${count} (${held.size} held + ${pending.size} with open orders)` : `${count}`;
  if (count >= max) return fail(MAX_OPEN_POSITIONS, `Opening ${symbol} would be a new position, and ${counted} positions are already open (cap ${max}).`);
  return pass(MAX_OPEN_POSITIONS, `Opens a new position in ${symbol}: ${count + 1} of ${max} after the order.`);
};
