import { equityOf, exposureBook, isReducingInContext, referencePrice, worstExposure } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const GROSS_EXPOSURE = "GROSS_EXPOSURE";

/**
 * Gross exposure (long + |short|) after the order, counting open orders as if they fill
 * (per symbol, the worse of "all buys fill" and "all sells fill"), at most
 * maxGrossExposurePct × equity. Anything that cannot be valued rejects. Orders that
 * only reduce pass.
 */
export const grossExposureCheck: RiskCheck = (intent, ctx) => {
  if (isReducingInContext(intent, ctx)) return pass(GROSS_EXPOSURE, "Reduces an existing position: gross exposure does not grow.");
  if (referencePrice(ctx) === null) return fail(GROSS_EXPOSURE, `No reference price for ${intent.symbol.toUpperCase()}: cannot value the order.`);
  const equity = equityOf(ctx);
  if (equity === null) return fail(GROSS_EXPOSURE, "Account equity is unknown: cannot check gross exposure.");
  const book = exposureBook(ctx, intent);
  if (book.unpriced.length > 0) return fail(GROSS_EXPOSURE, `Cannot value ${[...new Set(book.unpriced)].join(", ")} (no price known), so gross exposure is unknown.`);
  let gross = 0;
  for (const e of book.entries.values()) gross += worstExposure(e);
  const cap = ctx.limits.maxGrossExposurePct * equity;
  const detail = `Gross exposure after the order, with open orders, ${usd(gross)} (${pct(gross / equity)} of ${usd(equity)} equity)`;
  if (gross > cap + 1e-6) return fail(GROSS_EXPOSURE, `${detail} exceeds the ${pct(ctx.limits.maxGrossExposurePct)} cap of ${usd(cap)}.`);
  return pass(GROSS_EXPOSURE, `${detail} within the ${pct(ctx.limits.maxGrossExposurePct)} cap of ${usd(cap)}.`);
};
