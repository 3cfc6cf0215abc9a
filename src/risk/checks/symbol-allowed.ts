import type { RiskCheck } from "../types.js";
import { fail, pass } from "./result.js";

export const SYMBOL_ALLOWED = "SYMBOL_ALLOWED";

/** Restricted list, allowed list (when set), and a known, tradable asset. */
export const symbolAllowedCheck: RiskCheck = (intent, ctx) => {
  const symbol = typeof intent.symbol === "string" ? intent.symbol.trim().toUpperCase() : "";
  if (symbol === "") return fail(SYMBOL_ALLOWED, "The order has no symbol.");
  const limits = ctx.limits;
  if (limits.restrictedSymbols.some((s) => s.toUpperCase() === symbol)) return fail(SYMBOL_ALLOWED, `${symbol} is on the restricted list.`);
  if (limits.allowedSymbols !== null && !limits.allowedSymbols.some((s) => s.toUpperCase() === symbol)) {
    return fail(SYMBOL_ALLOWED, `${symbol} is not on the allowed list (${limits.allowedSymbols.length} symbols).`);
  }
  const info = ctx.symbol;
  if (info === null) return fail(SYMBOL_ALLOWED, `${symbol} is unknown: no asset record, so it cannot be checked.`);
  if (info.symbol.toUpperCase() !== symbol) return fail(SYMBOL_ALLOWED, `The asset record is for ${info.symbol}, not ${symbol}; cannot check this order.`);
  if (!info.tradable) return fail(SYMBOL_ALLOWED, `${symbol} is not tradable.`);
  return pass(SYMBOL_ALLOWED, `${symbol} is known, tradable and not restricted.`);
};
