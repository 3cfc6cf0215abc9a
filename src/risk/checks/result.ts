import type { CheckResult, TradingState } from "../types.js";

/**
 * What a loss-limit check tells the ExecutionManager to do, carried on its result so
 * that `RiskFirewall.signals()` can read it from a stored FirewallResult as well.
 */
export interface RiskSignal {
  /** The trading state the book should be in now (an escalation is applied; never a relaxation). */
  stateShouldBe?: TradingState;
  /** Trip the kill switch: HALTED plus cancel every open order. */
  killSwitch?: boolean;
}

/** A CheckResult that may carry a signal (DAILY_LOSS, WEEKLY_LOSS, DRAWDOWN). */
export interface SignalledCheckResult extends CheckResult {
  signal?: RiskSignal;
}

export function pass(code: string, detail: string, warning?: string, signal?: RiskSignal): SignalledCheckResult {
  const r: SignalledCheckResult = { code, passed: true, detail };
  if (warning !== undefined) r.warning = warning;
  if (signal !== undefined) r.signal = signal;
  return r;
}

export function fail(code: string, detail: string, signal?: RiskSignal): SignalledCheckResult {
  const r: SignalledCheckResult = { code, passed: false, detail };
  if (signal !== undefined) r.signal = signal;
  return r;
}
