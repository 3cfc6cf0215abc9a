import type { RiskCheck } from "../types.js";
import { price, shares } from "./format.js";
import { fail, pass } from "./result.js";

export const PRICE_SANITY = "PRICE_SANITY";

/** Alpaca's smallest notional order. */
export const MIN_NOTIONAL = 1;

const finitePositive = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x) && x > 0;

/** Whether `p` sits on the tick grid: cents at $1 and above, 4 decimals below. */
export function onTick(p: number): boolean {
  const scale = p >= 1 ? 100 : 10_000;
  const scaled = p * scale;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * Quantity and prices are positive finite numbers; limit and stop prices are on the
 * tick grid (≥ $1: whole cents; < $1: at most 4 decimals); trailPercent in (0, 100);
 * notional at least $1.
 */
export const priceSanityCheck: RiskCheck = (intent) => {
  const problems: string[] = [];
  if (intent.qty !== undefined && !finitePositive(intent.qty)) problems.push(`qty ${shares(Number(intent.qty))} must be a positive number`);
  if (intent.notional !== undefined) {
    if (!finitePositive(intent.notional)) problems.push(`notional ${String(intent.notional)} must be a positive number`);
    else if (intent.notional < MIN_NOTIONAL) problems.push(`notional ${price(intent.notional)} is below the $1 minimum`);
  }
  for (const [name, value] of [
    ["limit price", intent.limitPrice],
    ["stop price", intent.stopPrice],
  ] as const) {
    if (value === undefined) continue;
    if (!finitePositive(value)) problems.push(`${name} ${String(value)} must be a positive number`);
    else if (!onTick(value)) problems.push(`${name} ${String(value)} is off the tick grid (${value >= 1 ? "whole cents at $1 and above" : "at most 4 decimals below $1"})`);
  }
  if (intent.trailPrice !== undefined && !finitePositive(intent.trailPrice)) problems.push(`trail price ${String(intent.trailPrice)} must be a positive number`);
  if (intent.trailPercent !== undefined && !(finitePositive(intent.trailPercent) && intent.trailPercent < 100)) problems.push(`trail percent ${String(intent.trailPercent)} must be between 0 and 100`);
  if (intent.stopLoss !== undefined && !finitePositive(intent.stopLoss)) problems.push(`stop loss ${String(intent.stopLoss)} must be a positive number`);
  if (problems.length > 0) return fail(PRICE_SANITY, `Bad numbers: ${problems.join("; ")}.`);
  return pass(PRICE_SANITY, "Quantity and prices are positive and on the tick grid.");
};
