import { isReducingInContext, positive } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const DAILY_LOSS = "DAILY_LOSS";

/**
 * Loss since the previous close (equity.previousClose → equity.current) at or beyond
 * dailyLossPct: opening orders reject, reducing orders pass with a warning, and the
 * result signals that the state should be REDUCING (read by RiskFirewall.signals).
 */
export const dailyLossCheck: RiskCheck = (intent, ctx) => {
  const eq = ctx.equity;
  if (eq === null) return fail(DAILY_LOSS, "Equity marks are unknown (no account or equity history): the daily loss limit cannot be checked.");
  if (!positive(eq.previousClose)) return fail(DAILY_LOSS, `The previous close equity (${String(eq.previousClose)}) is not a positive number: the daily loss cannot be computed.`);
  if (!Number.isFinite(eq.current)) return fail(DAILY_LOSS, "Current equity is not a number: the daily loss cannot be computed.");
  const loss = (eq.previousClose - eq.current) / eq.previousClose;
  const limit = ctx.limits.dailyLossPct;
  const move = `${loss >= 0 ? "down" : "up"} ${pct(Math.abs(loss))} (${usd(Math.abs(eq.previousClose - eq.current))}) since the previous close (${usd(eq.previousClose)} → ${usd(eq.current)})`;
  if (loss + 1e-12 >= limit) {
    const signal = { stateShouldBe: "REDUCING" as const };
    const breach = `Equity is ${move}, at or beyond the ${pct(limit)} daily loss limit: trading should move to REDUCING`;
    if (isReducingInContext(intent, ctx)) return pass(DAILY_LOSS, `${breach}; this order only reduces a position.`, `${breach}.`, signal);
    return fail(DAILY_LOSS, `${breach}, and only position-reducing orders are allowed.`, signal);
  }
  return pass(DAILY_LOSS, `Equity is ${move}; daily loss limit ${pct(limit)}.`);
};
