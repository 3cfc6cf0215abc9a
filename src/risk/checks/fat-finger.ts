import { estimateOrder, referencePrice } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { shares, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const FAT_FINGER = "FAT_FINGER";

/** maxNotionalPerOrder and maxSharesPerOrder; notional = qty × reference price, or the given notional. */
export const fatFingerCheck: RiskCheck = (intent, ctx) => {
  const est = estimateOrder(intent, referencePrice(ctx));
  const { maxNotionalPerOrder, maxSharesPerOrder } = ctx.limits;
  if (est.notional === null || est.qty === null) {
    return fail(FAT_FINGER, `Cannot size the order: ${est.price === null ? "no reference price" : "no valid qty or notional"}, so its notional and share count are unknown.`);
  }
  const problems: string[] = [];
  if (est.notional > maxNotionalPerOrder) problems.push(`notional ${usd(est.notional)} exceeds the ${usd(maxNotionalPerOrder)} per-order cap`);
  if (est.qty > maxSharesPerOrder) problems.push(`${shares(est.qty)} shares exceed the ${shares(maxSharesPerOrder)}-share per-order cap`);
  if (problems.length > 0) return fail(FAT_FINGER, `Order too large: ${problems.join("; ")}.`);
  return pass(FAT_FINGER, `Notional ${usd(est.notional)} within the ${usd(maxNotionalPerOrder)} cap; ${shares(est.qty)} shares within ${shares(maxSharesPerOrder)}.`);
};
