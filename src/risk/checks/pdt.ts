import { equityOf } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { usd } from "./format.js";
import { fail, pass } from "./result.js";

export const PDT = "PDT";

/** FINRA's pattern-day-trader equity threshold. */
export const PDT_MIN_EQUITY = 25_000;
/** Day trades allowed in 5 sessions under the threshold. */
export const PDT_MAX_DAY_TRADES = 3;

/**
 * Pattern-day-trader guard (when pdtGuard): under $25,000 equity, an order that would
 * be a day trade is refused once 3 day trades were made in the last 5 sessions.
 */
export const pdtCheck: RiskCheck = (_intent, ctx) => {
  if (!ctx.limits.pdtGuard) return pass(PDT, "The pattern-day-trader guard is off.");
  const { count, wouldBeDayTrade } = ctx.dayTrades;
  if (!Number.isFinite(count) || count < 0) return fail(PDT, "The day-trade count is unknown.");
  if (!wouldBeDayTrade) return pass(PDT, `Not a day trade (${count} day trades in the last 5 sessions).`);
  const equity = equityOf(ctx);
  if (equity === null) return fail(PDT, "This would be a day trade and account equity is unknown, so the pattern-day-trader rule cannot be checked.");
  if (equity >= PDT_MIN_EQUITY) return pass(PDT, `A day trade, allowed: equity ${usd(equity)} is at least ${usd(PDT_MIN_EQUITY)}.`);
  if (count >= PDT_MAX_DAY_TRADES) {
    return fail(PDT, `This would be day trade number ${count + 1} in 5 sessions with equity ${usd(equity)} under ${usd(PDT_MIN_EQUITY)}: the pattern-day-trader rule allows ${PDT_MAX_DAY_TRADES}.`);
  }
  const left = PDT_MAX_DAY_TRADES - count - 1;
  return pass(PDT, `Day trade ${count + 1} of ${PDT_MAX_DAY_TRADES} allowed in 5 sessions under ${usd(PDT_MIN_EQUITY)} equity.`, left === 0 ? "This is the last day trade allowed in the 5-session window." : undefined);
};
