import { positive } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const WEEKLY_LOSS = "WEEKLY_LOSS";

/**
 * Loss since the start of the week at or beyond weeklyLossPct rejects every order and
 * signals that the state should be HALTED.
 */
export const weeklyLossCheck: RiskCheck = (_intent, ctx) => {
  const eq = ctx.equity;
  if (eq === null) return fail(WEEKLY_LOSS, "Equity marks are unknown (no account or equity history): the weekly loss limit cannot be checked.");
  if (!positive(eq.startOfWeek)) return fail(WEEKLY_LOSS, `The start-of-week equity (${String(eq.startOfWeek)}) is not a positive number: the weekly loss cannot be computed.`);
  if (!Number.isFinite(eq.current)) return fail(WEEKLY_LOSS, "Current equity is not a number: the weekly loss cannot be computed.");
  const loss = (eq.startOfWeek - eq.current) / eq.startOfWeek;
  const limit = ctx.limits.weeklyLossPct;
  const move = `${loss >= 0 ? "down" : "up"} ${pct(Math.abs(loss))} (${usd(Math.abs(eq.startOfWeek - eq.current))}) since the start of the week (${usd(eq.startOfWeek)} → ${usd(eq.current)})`;
  if (loss + 1e-12 >= limit) {
    return fail(WEEKLY_LOSS, `Equity is ${move}, at or beyond the ${pct(limit)} weekly loss limit: trading should be HALTED until a human resumes it.`, { stateShouldBe: "HALTED" });
  }
  return pass(WEEKLY_LOSS, `Equity is ${move}; weekly loss limit ${pct(limit)}.`);
};
