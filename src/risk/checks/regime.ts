import { isReducingInContext } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { fail, pass } from "./result.js";

export const REGIME = "REGIME";

/**
 * Market regime is advisory input: with noLongsInPanic, a buy that adds long exposure
 * (not one covering a short) in a PANIC regime rejects. An unknown regime passes with a
 * warning for such a buy.
 */
export const regimeCheck: RiskCheck = (intent, ctx) => {
  const symbol = intent.symbol.toUpperCase();
  const regime = ctx.regime;
  const newLong = intent.side === "buy" && !isReducingInContext(intent, ctx);
  if (regime === null) {
    return pass(REGIME, `The ${symbol} regime is unknown.`, newLong && ctx.limits.noLongsInPanic ? `The ${symbol} regime is unknown, so the no-longs-in-panic rule could not be applied.` : undefined);
  }
  if (regime === "PANIC" && newLong && ctx.limits.noLongsInPanic) {
    return fail(REGIME, `${symbol} is in a PANIC regime and new longs are not allowed in panic (noLongsInPanic).`);
  }
  return pass(REGIME, `${symbol} regime ${regime}${regime === "PANIC" ? (newLong ? " (noLongsInPanic is off)" : "; this order adds no long exposure") : ""}.`);
};
