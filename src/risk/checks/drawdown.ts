import { estimateOrder, isReducingInContext, positive, referencePrice } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { pct, usd } from "./format.js";
import { fail, pass } from "./result.js";

export const DRAWDOWN = "DRAWDOWN";

/** Under drawdownReducePct, opening orders may be at most this fraction of maxNotionalPerOrder. */
export const DRAWDOWN_SIZE_FACTOR = 0.5;

/**
 * Drawdown from peak equity.
 * - ≥ drawdownKillPct: every order rejects and the result signals the kill switch
 *   (HALTED and cancel open orders).
 * - ≥ drawdownReducePct: "new exposure is halved", implemented simply: an opening order
 *   whose notional exceeds DRAWDOWN_SIZE_FACTOR (½) × maxNotionalPerOrder rejects;
 *   smaller opening orders and reducing orders pass with a warning. The other size
 *   checks (FAT_FINGER, POSITION_SIZE) keep their normal limits.
 */
export const drawdownCheck: RiskCheck = (intent, ctx) => {
  const eq = ctx.equity;
  if (eq === null) return fail(DRAWDOWN, "Equity marks are unknown (no account or equity history): drawdown cannot be checked.");
  if (!positive(eq.peak)) return fail(DRAWDOWN, `Peak equity (${String(eq.peak)}) is not a positive number: drawdown cannot be computed.`);
  if (!Number.isFinite(eq.current)) return fail(DRAWDOWN, "Current equity is not a number: drawdown cannot be computed.");
  const dd = Math.max(0, (eq.peak - eq.current) / eq.peak);
  const { drawdownKillPct: kill, drawdownReducePct: reduce } = ctx.limits;
  const where = `Drawdown ${pct(dd)} from the ${usd(eq.peak)} peak (equity ${usd(eq.current)})`;
  if (dd + 1e-12 >= kill) {
    return fail(DRAWDOWN, `${where} is at or beyond the ${pct(kill)} kill level: kill switch — trading halts and open orders are canceled.`, { killSwitch: true, stateShouldBe: "HALTED" });
  }
  if (dd + 1e-12 >= reduce) {
    const note = `${where} is at or beyond the ${pct(reduce)} reduce level: new exposure is limited to half size`;
    if (isReducingInContext(intent, ctx)) return pass(DRAWDOWN, `${note}; this order only reduces a position.`, `${note}.`);
    const cap = DRAWDOWN_SIZE_FACTOR * ctx.limits.maxNotionalPerOrder;
    const notional = estimateOrder(intent, referencePrice(ctx)).notional;
    if (notional === null) return fail(DRAWDOWN, `${note}, and the order's notional is unknown (no reference price).`);
    if (notional > cap) return fail(DRAWDOWN, `${note}: notional ${usd(notional)} exceeds ${usd(cap)} (half the ${usd(ctx.limits.maxNotionalPerOrder)} per-order cap).`);
    return pass(DRAWDOWN, `${note}: notional ${usd(notional)} within ${usd(cap)} (half the per-order cap).`, `${note}.`);
  }
  return pass(DRAWDOWN, `${where}; reduce at ${pct(reduce)}, kill switch at ${pct(kill)}.`);
};
