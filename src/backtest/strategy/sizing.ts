import type { Sizing } from "./rules-schema.js";

/**
 * How many whole shares one entry buys under a sizing rule. Pure: the caller passes the
 * account and the price as they are at the step (cash already net of the entries it has
 * planned earlier in the same step).
 */

export interface SizingInputs {
  equity: number;
  /** Cash still free for this entry. */
  cash: number;
  /** The price the entry is sized at (the step's close). */
  close: number;
  /** ATR at the step, or null when unknown (needed by atr_risk only). */
  atr: number | null;
}

export type SizeResult = { qty: number; stopLoss?: number } | { qty: 0; why: string };

/**
 * Quotients like 0.3 / 0.1 come out a hair under the whole number (2.9999999999999996);
 * without this slack floor() would buy one share fewer than the rule says.
 */
const FLOOR_SLACK = 1e-9;

function wholeShares(x: number): number {
  return Math.floor(x + FLOOR_SLACK);
}

const money = (x: number): string => x.toFixed(2);

export function sizeEntry(sizing: Sizing, at: SizingInputs): SizeResult {
  const { equity, cash, close } = at;
  if (!Number.isFinite(close) || close <= 0) return { qty: 0, why: `no positive price (close ${close})` };
  if (sizing.kind !== "fixed_shares" && sizing.kind !== "fixed_notional" && !(equity > 0)) {
    return { qty: 0, why: `equity ${money(equity)} is not positive` };
  }

  let qty: number;
  let stopLoss: number | undefined;
  switch (sizing.kind) {
    case "equal_weight":
      qty = wholeShares(equity / sizing.slots / close);
      break;
    case "percent_equity":
      qty = wholeShares((sizing.pct * equity) / close);
      break;
    case "fixed_notional":
      qty = wholeShares(sizing.amount / close);
      break;
    case "fixed_shares":
      qty = sizing.shares;
      break;
    case "atr_risk": {
      const atr = at.atr;
      if (atr === null || !Number.isFinite(atr) || atr <= 0) return { qty: 0, why: `ATR(${sizing.atrPeriod}) is not known yet` };
      const stopDistance = sizing.atrMultiple * atr;
      qty = wholeShares((sizing.riskPct * equity) / stopDistance);
      // A stop at or below zero protects nothing; the entry stands, without a stop.
      if (close - stopDistance > 0) stopLoss = close - stopDistance;
      break;
    }
  }

  if (qty < 1) return { qty: 0, why: `the target buys less than one share at ${money(close)}` };
  const cost = qty * close;
  if (cost > cash + FLOOR_SLACK * Math.max(1, Math.abs(cash))) {
    return { qty: 0, why: `cash ${money(cash)} does not cover ${qty} × ${money(close)} = ${money(cost)}` };
  }
  return stopLoss === undefined ? { qty } : { qty, stopLoss };
}
