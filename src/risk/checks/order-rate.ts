import type { RiskCheck } from "../types.js";
import { secs } from "./format.js";
import { fail, pass } from "./result.js";

export const ORDER_RATE = "ORDER_RATE";

export const RATE_WINDOW_MS = 60_000;

/** At most maxOrdersPerMinute orders in the rolling 60 s before now; over it rejects (never queues). */
export const orderRateCheck: RiskCheck = (_intent, ctx) => {
  const max = ctx.limits.maxOrdersPerMinute;
  const from = ctx.now - RATE_WINDOW_MS;
  let count = 0;
  let oldest = Infinity;
  for (const r of ctx.recent) {
    if (r.t > from && r.t <= ctx.now) {
      count++;
      if (r.t < oldest) oldest = r.t;
    }
  }
  if (count >= max) {
    return fail(ORDER_RATE, `${count} orders in the last 60 s, at the limit of ${max} per minute: rejected, not queued; retry in about ${secs(Math.max(1000, oldest + RATE_WINDOW_MS - ctx.now))}.`);
  }
  return pass(ORDER_RATE, `${count} orders in the last 60 s (limit ${max} per minute).`);
};
