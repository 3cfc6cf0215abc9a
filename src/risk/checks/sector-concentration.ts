import { equityOf, exposureBook, isReducingInContext, referencePrice, worstExposure } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const SECTOR_CONCENTRATION = "SECTOR_CONCENTRATION";

/**
 * Exposure to the order's sector after the order, counting positions and open orders in
 * that sector (sectors from ctx.sectorOf), at most maxSectorPct × equity. An opening
 * order whose sector is unknown rejects. Holdings with an unknown sector cannot be
 * attributed and are named in a warning. Orders that only reduce pass.
 */
export const sectorConcentrationCheck: RiskCheck = (intent, ctx) => {
  const symbol = intent.symbol.toUpperCase();
  if (isReducingInContext(intent, ctx)) return pass(SECTOR_CONCENTRATION, "Reduces an existing position: sector exposure does not grow.");
  const sector = ctx.symbol?.symbol.toUpperCase() === symbol && ctx.symbol.sector ? ctx.symbol.sector : ctx.sectorOf(symbol);
  if (!sector) return fail(SECTOR_CONCENTRATION, `The sector of ${symbol} is unknown, so its concentration cannot be checked; an opening order needs a known sector.`);
  if (referencePrice(ctx) === null) return fail(SECTOR_CONCENTRATION, `No reference price for ${symbol}: cannot value the order.`);
  const equity = equityOf(ctx);
  if (equity === null) return fail(SECTOR_CONCENTRATION, "Account equity is unknown: cannot check sector concentration.");
  const book = exposureBook(ctx, intent);
  let exposure = 0;
  const unknownSector: string[] = [];
  const unpriced = new Set(book.unpriced);
  for (const e of book.entries.values()) {
    const s: string | null = e.symbol === symbol ? sector : ctx.sectorOf(e.symbol);
    if (s === null) unknownSector.push(e.symbol);
    else if (s === sector) exposure += worstExposure(e);
  }
  const unpricedInSector = [...unpriced].filter((s) => s === symbol || ctx.sectorOf(s) === sector);
  if (unpricedInSector.length > 0) return fail(SECTOR_CONCENTRATION, `Cannot value ${unpricedInSector.join(", ")} in ${sector} (no price known), so the sector exposure is unknown.`);
  const cap = ctx.limits.maxSectorPct * equity;
  const detail = `${sector} exposure after the order, with open orders, ${usd(exposure)} (${pct(exposure / equity)} of ${usd(equity)} equity)`;
  const warning = unknownSector.length > 0 ? `Sector unknown for ${unknownSector.join(", ")}: not counted in ${sector}.` : undefined;
  if (exposure > cap + 1e-6) return fail(SECTOR_CONCENTRATION, `${detail} exceeds the ${pct(ctx.limits.maxSectorPct)} sector cap of ${usd(cap)}.`);
  return pass(SECTOR_CONCENTRATION, `${detail} within the ${pct(ctx.limits.maxSectorPct)} sector cap of ${usd(cap)}.`, warning);
};
