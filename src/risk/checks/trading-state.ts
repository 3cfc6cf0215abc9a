import { isReducingInContext, positionQty } from "../order-math.js";
import type { RiskCheck } from "../types.js";
import { shares } from "./format.js";
import { fail, pass } from "./result.js";

export const TRADING_STATE = "TRADING_STATE";

/**
 * ACTIVE accepts everything; HALTED rejects everything; REDUCING accepts only orders
 * that reduce an existing position (never opening from flat, adding, or flipping
 * through zero). An unrecognised state rejects.
 */
export const tradingStateCheck: RiskCheck = (intent, ctx) => {
  const state = ctx.state;
  if (state === "ACTIVE") return pass(TRADING_STATE, "Trading is ACTIVE.");
  if (state === "HALTED") return fail(TRADING_STATE, "Trading is HALTED: no order is accepted until a human resumes trading.");
  if (state === "REDUCING") {
    const symbol = intent.symbol.toUpperCase();
    if (isReducingInContext(intent, ctx)) return pass(TRADING_STATE, `Trading is REDUCING and this ${intent.side} only reduces the ${symbol} position.`);
    const held = positionQty(symbol, ctx.positions);
    const why =
      held === 0
        ? `there is no ${symbol} position to reduce (opening from flat is not allowed)`
        : (held > 0) === (intent.side === "buy")
          ? `it would add to the ${held > 0 ? "long" : "short"} ${symbol} position of ${shares(Math.abs(held))} shares`
          : `it is larger than the ${shares(Math.abs(held))} shares held (less open ${intent.side} orders), so it would flip the position or its size is unknown`;
    return fail(TRADING_STATE, `Trading is REDUCING: only orders that reduce an existing position are accepted, and ${why}.`);
  }
  return fail(TRADING_STATE, `Trading state "${String(state)}" is not one of ACTIVE, REDUCING, HALTED; blocking until it is fixed.`);
};
