import { positive } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { price, secs } from "./format.js";
import { fail, pass } from "./result.js";

export const PRICE_FRESH = "PRICE_FRESH";

/**
 * The reference price must exist, be a positive number, not be stamped after now, come
 * from no more than maxSessionsSincePrice closed sessions ago, and — while the regular
 * session is open — be at most maxPriceAgeSeconds old.
 */
export const priceFreshCheck: RiskCheck = (intent, ctx) => {
  const p = ctx.price;
  const symbol = intent.symbol.toUpperCase();
  if (p === null) return fail(PRICE_FRESH, `No reference price for ${symbol}: cannot value or size the order.`);
  if (!positive(p.price)) return fail(PRICE_FRESH, `The reference price for ${symbol} (${String(p.price)}) is not a positive number.`);
  if (!Number.isFinite(p.asOf)) return fail(PRICE_FRESH, `The reference price for ${symbol} has no valid timestamp.`);
  const ageMs = ctx.now - p.asOf;
  if (ageMs < 0) return fail(PRICE_FRESH, `The reference price for ${symbol} is stamped ${secs(-ageMs)} after now; refusing a price from the future.`);
  const { maxSessionsSincePrice, maxPriceAgeSeconds } = ctx.limits;
  if (!Number.isFinite(p.sessionsSince) || p.sessionsSince < 0) return fail(PRICE_FRESH, `The age in sessions of the ${symbol} price is unknown.`);
  if (p.sessionsSince > maxSessionsSincePrice) {
    return fail(PRICE_FRESH, `The ${symbol} price ${price(p.price)} is stale: ${p.sessionsSince} regular session${p.sessionsSince === 1 ? " has" : "s have"} closed since it (at most ${maxSessionsSincePrice} allowed).`);
  }
  if (ctx.marketOpen && ageMs > maxPriceAgeSeconds * 1000) {
    return fail(PRICE_FRESH, `The ${symbol} price ${price(p.price)} is ${secs(ageMs)} old; during the regular session it may be at most ${maxPriceAgeSeconds} s old.`);
  }
  const age = ctx.marketOpen
    ? `${secs(ageMs)} old, limit ${maxPriceAgeSeconds} s in the session`
    : `market closed; ${p.sessionsSince === 0 ? "from the latest session" : `${p.sessionsSince} session${p.sessionsSince === 1 ? "" : "s"} closed since it`}`;
  return pass(PRICE_FRESH, `The ${symbol} reference price ${price(p.price)} is fresh (${age}).`);
};
