import { positive, referencePrice } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, price } from "./format.js";
import { fail, pass } from "./result.js";

export const PRICE_COLLAR = "PRICE_COLLAR";

/** Limit and stop prices within priceCollarPct of the reference price. Orders without either pass. */
export const priceCollarCheck: RiskCheck = (intent, ctx) => {
  const prices: [string, number][] = [];
  if (intent.limitPrice !== undefined) prices.push(["limit", intent.limitPrice]);
  if (intent.stopPrice !== undefined) prices.push(["stop", intent.stopPrice]);
  if (prices.length === 0) return pass(PRICE_COLLAR, "No limit or stop price to collar.");
  const ref = referencePrice(ctx);
  if (ref === null) return fail(PRICE_COLLAR, "No reference price: the limit/stop price cannot be compared with the market.");
  const collar = ctx.limits.priceCollarPct;
  const lo = ref * (1 - collar);
  const hi = ref * (1 + collar);
  const problems: string[] = [];
  for (const [name, p] of prices) {
    if (!positive(p)) {
      problems.push(`the ${name} price ${String(p)} is not a positive number`);
      continue;
    }
    const off = (p - ref) / ref;
    if (Math.abs(off) > collar + 1e-12) problems.push(`the ${name} price ${price(p)} is ${pct(Math.abs(off))} ${off > 0 ? "above" : "below"} the reference ${price(ref)} (collar ±${pct(collar)}, ${price(lo)}–${price(hi)})`);
  }
  if (problems.length > 0) return fail(PRICE_COLLAR, `Price outside the collar: ${problems.join("; ")}.`);
  return pass(PRICE_COLLAR, `${prices.map(([n, p]) => `${n} ${price(p)}`).join(", ")} within ±${pct(collar)} of the reference ${price(ref)}.`);
};
