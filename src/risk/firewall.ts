import {
  buyingPowerCheck,
  BUYING_POWER,
  dailyLossCheck,
  DAILY_LOSS,
  drawdownCheck,
  DRAWDOWN,
  duplicateClientIdCheck,
  duplicateOrderCheck,
  DUPLICATE_CLIENT_ID,
  DUPLICATE_ORDER,
  fatFingerCheck,
  FAT_FINGER,
  grossExposureCheck,
  GROSS_EXPOSURE,
  maxOpenPositionsCheck,
  MAX_OPEN_POSITIONS,
  orderRateCheck,
  orderShapeCheck,
  ORDER_RATE,
  ORDER_SHAPE,
  pdtCheck,
  PDT,
  positionLimitCheck,
  positionSizeCheck,
  POSITION_LIMIT,
  POSITION_SIZE,
  priceCollarCheck,
  priceFreshCheck,
  priceSanityCheck,
  PRICE_COLLAR,
  PRICE_FRESH,
  PRICE_SANITY,
  regimeCheck,
  REGIME,
  sectorConcentrationCheck,
  SECTOR_CONCENTRATION,
  shortingCheck,
  SHORTING,
  symbolAllowedCheck,
  SYMBOL_ALLOWED,
  tradingStateCheck,
  TRADING_STATE,
  weeklyLossCheck,
  WEEKLY_LOSS,
  type SignalledCheckResult,
} from "./checks/index.js";
import { estimateOrder, withEvaluationScope, type OrderEstimate } from "./order-math.js";
import { TRADING_STATES, type CheckResult, type FirewallResult, type OrderIntent, type RiskCheck, type RiskContext, type TradingState } from "./types.js";

export interface PipelineEntry {
  readonly code: string;
  readonly check: RiskCheck;
}

/** The firewall's checks in DESIGN §4 order. Every evaluation runs all of them. */
export const CHECK_PIPELINE: readonly PipelineEntry[] = Object.freeze([
  { code: TRADING_STATE, check: tradingStateCheck },
  { code: SYMBOL_ALLOWED, check: symbolAllowedCheck },
  { code: ORDER_SHAPE, check: orderShapeCheck },
  { code: PRICE_SANITY, check: priceSanityCheck },
  { code: DUPLICATE_CLIENT_ID, check: duplicateClientIdCheck },
  { code: DUPLICATE_ORDER, check: duplicateOrderCheck },
  { code: PRICE_FRESH, check: priceFreshCheck },
  { code: PRICE_COLLAR, check: priceCollarCheck },
  { code: FAT_FINGER, check: fatFingerCheck },
  { code: POSITION_SIZE, check: positionSizeCheck },
  { code: POSITION_LIMIT, check: positionLimitCheck },
  { code: GROSS_EXPOSURE, check: grossExposureCheck },
  { code: MAX_OPEN_POSITIONS, check: maxOpenPositionsCheck },
  { code: SECTOR_CONCENTRATION, check: sectorConcentrationCheck },
  { code: BUYING_POWER, check: buyingPowerCheck },
  { code: SHORTING, check: shortingCheck },
  { code: DAILY_LOSS, check: dailyLossCheck },
  { code: WEEKLY_LOSS, check: weeklyLossCheck },
  { code: DRAWDOWN, check: drawdownCheck },
  { code: REGIME, check: regimeCheck },
  { code: PDT, check: pdtCheck },
  { code: ORDER_RATE, check: orderRateCheck },
].map((e) => Object.freeze(e)));

/** The check codes, in pipeline order. */
export const CHECK_CODES: readonly string[] = Object.freeze(CHECK_PIPELINE.map((e) => e.code));

/** The code of a check that threw or returned something malformed: it fails, closed. */
export const CHECK_ERROR = "CHECK_ERROR";

/** What the ExecutionManager should do after an evaluation, derived from the loss-limit checks. */
export interface FirewallSignals {
  /** Move to this state (only ever an escalation from the evaluated state). */
  stateShouldBe?: TradingState;
  /** Trip the kill switch (HALTED and cancel every open order). */
  killSwitch?: boolean;
  reason: string;
}

const STATE_RANK: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

function checkError(code: string, why: string): CheckResult {
  return { code: CHECK_ERROR, passed: false, detail: `The ${code} check could not be evaluated (${why}); the order is blocked until it can be.` };
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function wellFormed(r: unknown): r is CheckResult {
  if (typeof r !== "object" || r === null) return false;
  const c = r as Record<string, unknown>;
  return typeof c.code === "string" && typeof c.passed === "boolean" && typeof c.detail === "string" && (c.warning === undefined || typeof c.warning === "string");
}

/**
 * The risk firewall (DESIGN §3–4). `evaluate` runs every check in CHECK_PIPELINE — never
 * short-circuiting, so the approver sees the full list — and approves only when every
 * one passed. A check that throws or returns a malformed result becomes a failed
 * CHECK_ERROR result (fail closed); `evaluate` itself never throws for a bad check.
 * Checks are pure functions of (intent, context); the firewall holds no state between
 * evaluations (within one, derived values such as the exposure book are computed once
 * and shared, see withEvaluationScope). Trading
 * state and limits are changed only by humans (see TradingStateStore and loadLimits).
 */
export class RiskFirewall {
  constructor(private readonly pipeline: readonly PipelineEntry[] = CHECK_PIPELINE) {}

  /** The codes this firewall runs, in order. */
  get codes(): string[] {
    return this.pipeline.map((e) => e.code);
  }

  evaluate(intent: OrderIntent, ctx: RiskContext): FirewallResult {
    const checks: CheckResult[] = [];
    const warnings: string[] = [];
    withEvaluationScope(intent, ctx, () => {
      for (const { code, check } of this.pipeline) {
        let r: CheckResult;
        try {
          const out = check(intent, ctx) as unknown;
          if (!wellFormed(out)) r = checkError(code, "it returned a malformed result");
          else if (out.code !== code) r = checkError(code, `it answered with code ${out.code}`);
          else r = out;
        } catch (err) {
          r = checkError(code, errorMessage(err));
        }
        checks.push(r);
        if (r.warning) warnings.push(`${r.code}: ${r.warning}`);
      }
    });
    let estimate: OrderEstimate;
    try {
      estimate = estimateOrder(intent, ctx.price?.price ?? null);
    } catch {
      estimate = { price: null, qty: null, notional: null };
    }
    return {
      approved: checks.length > 0 && checks.every((c) => c.passed === true),
      checks,
      limits: ctx.limits,
      state: ctx.state,
      evaluatedAt: ctx.now,
      estimate,
      warnings,
    };
  }

  /**
   * What the loss limits ask of the ExecutionManager: DAILY_LOSS → REDUCING,
   * WEEKLY_LOSS → HALTED, DRAWDOWN at the kill level → kill switch (and HALTED). Read
   * from the checks' signals, so it works on a stored result too. Only escalations from
   * the evaluated state are returned, and the kill switch is not signalled again while
   * the book is already HALTED. Nothing here relaxes a state: only a human does that.
   */
  signals(result: FirewallResult): FirewallSignals {
    let target: TradingState | undefined;
    let kill = false;
    const reasons: string[] = [];
    for (const c of result.checks as SignalledCheckResult[]) {
      const s = c.signal;
      if (!s || typeof s !== "object") continue;
      const wanted = s.stateShouldBe !== undefined && (TRADING_STATES as readonly string[]).includes(s.stateShouldBe) ? s.stateShouldBe : undefined;
      if (s.killSwitch !== true && wanted === undefined) continue;
      if (s.killSwitch === true) kill = true;
      if (wanted !== undefined && (target === undefined || STATE_RANK[wanted] > STATE_RANK[target])) target = wanted;
      reasons.push(`${c.code}: ${c.detail}`);
    }
    if (reasons.length === 0) return { reason: "No loss limit or drawdown level is breached." };
    const current: TradingState = (TRADING_STATES as readonly string[]).includes(result.state) ? result.state : "ACTIVE";
    const out: FirewallSignals = { reason: reasons.join(" ") };
    if (kill && current !== "HALTED") out.killSwitch = true;
    if (target !== undefined && STATE_RANK[target] > STATE_RANK[current]) out.stateShouldBe = target;
    return out;
  }
}
