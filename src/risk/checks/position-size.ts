import { equityOf, estimateOrder, isReducingInContext, positive, referencePrice } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, price, shares, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const POSITION_SIZE = "POSITION_SIZE";

/**
 * Risk per trade: qty × |entry − stop| ≤ riskPerTradePct × equity. Entry is the limit
 * price, else the stop price, else the reference price; the stop is intent.stopLoss or
 * entry ∓ defaultStopAtr × ATR. A stop on the wrong side of the entry rejects; an
 * unknown stop, entry or equity rejects. Orders that only reduce a position pass.
 */
export const positionSizeCheck: RiskCheck = (intent, ctx) => {
  if (isReducingInContext(intent, ctx)) return pass(POSITION_SIZE, "Reduces an existing position: no new risk to size.");
  const ref = referencePrice(ctx);
  const entry = positive(intent.limitPrice) ? intent.limitPrice : positive(intent.stopPrice) ? intent.stopPrice : ref;
  if (entry === null) return fail(POSITION_SIZE, "No entry price (no reference price and no limit/stop price): cannot size the risk.");
  const qty = estimateOrder(intent, entry).qty;
  if (qty === null) return fail(POSITION_SIZE, "The order has no valid qty or notional: cannot size the risk.");
  const equity = equityOf(ctx);
  if (equity === null) return fail(POSITION_SIZE, "Account equity is unknown: cannot size the risk per trade.");
  const long = intent.side === "buy";
  let stop: number;
  let stopSource: string;
  if (intent.stopLoss !== undefined) {
    if (!positive(intent.stopLoss)) return fail(POSITION_SIZE, `The stop loss ${String(intent.stopLoss)} is not a positive price.`);
    stop = intent.stopLoss;
    stopSource = `stop loss ${price(stop)}`;
  } else {
    if (!positive(ctx.atr)) return fail(POSITION_SIZE, "No stop loss given and the ATR is unknown: cannot size the risk. Give a stopLoss.");
    const dist = ctx.limits.defaultStopAtr * ctx.atr;
    stop = long ? entry - dist : entry + dist;
    stopSource = `default stop ${price(stop)} (${ctx.limits.defaultStopAtr} × ATR ${price(ctx.atr)})`;
    if (stop <= 0) return fail(POSITION_SIZE, `The default stop (${ctx.limits.defaultStopAtr} × ATR ${price(ctx.atr)} below ${price(entry)}) is not a positive price; give a stopLoss.`);
  }
  if (long ? stop >= entry : stop <= entry) {
    return fail(POSITION_SIZE, `The stop ${price(stop)} is on the wrong side of the entry ${price(entry)}: a ${long ? "long's stop must be below" : "short's stop must be above"} the entry.`);
  }
  const risk = qty * Math.abs(entry - stop);
  const budget = ctx.limits.riskPerTradePct * equity;
  const detail = `${shares(qty)} shares × ${price(Math.abs(entry - stop))} to the ${stopSource} = ${usd(risk)} at risk`;
  if (risk > budget + 1e-9) return fail(POSITION_SIZE, `${detail}, above the ${usd(budget)} budget (${pct(ctx.limits.riskPerTradePct)} of ${usd(equity)} equity).`);
  return pass(POSITION_SIZE, `${detail}, within the ${usd(budget)} budget (${pct(ctx.limits.riskPerTradePct)} of equity).`);
};
