import { z } from "zod";
import type { Proposal } from "../../src/execution/proposal-store.js";
import type { Account, BrokerOrder, Position } from "../../src/execution/types.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import type { FirewallResult } from "../../src/risk/types.js";
import { timeField } from "../data/shapes.js";

/** Output pieces shared by the execution tools, and the functions that fill them. */

const iso = (t: number | null) => (t === null ? null : toExchangeIso(t));

export const checkShape = z.object({
  code: z.string(),
  passed: z.boolean(),
  detail: z.string(),
  warning: z.string().optional(),
  /** Loss and drawdown checks say what the trading state should become. */
  signal: z.object({ stateShouldBe: z.enum(["ACTIVE", "REDUCING", "HALTED"]).optional(), killSwitch: z.boolean().optional() }).optional(),
});

export const intentShape = z.object({
  symbol: z.string(),
  side: z.string(),
  type: z.string(),
  timeInForce: z.string(),
  qty: z.number().optional(),
  notional: z.number().optional(),
  limitPrice: z.number().optional(),
  stopPrice: z.number().optional(),
  trailPercent: z.number().optional(),
  trailPrice: z.number().optional(),
  extendedHours: z.boolean().optional(),
  stopLoss: z.number().optional(),
});

export const proposalShape = z.object({
  proposalId: z.string(),
  status: z.string(),
  mode: z.enum(["paper", "live"]),
  broker: z.string(),
  createdAt: timeField,
  expiresAt: timeField,
  intent: intentShape,
  contentHash: z.string(),
  estimatedNotional: z.number().nullable(),
  referencePrice: z.number().nullable(),
  checks: z.array(checkShape),
  failedChecks: z.array(z.string()),
  warnings: z.array(z.string()),
  decidedBy: z.string().nullable(),
  decisionChannel: z.string().nullable(),
  decisionReason: z.string().nullable(),
  brokerOrderId: z.string().nullable(),
  error: z.string().nullable(),
  howToApprove: z.string(),
});

export function proposalOut(p: Proposal): z.input<typeof proposalShape> {
  return {
    proposalId: p.id,
    status: p.status,
    mode: p.mode,
    broker: p.broker,
    createdAt: toExchangeIso(p.createdAt),
    expiresAt: toExchangeIso(p.expiresAt),
    intent: p.intent,
    contentHash: p.contentHash,
    estimatedNotional: p.estimatedNotional,
    referencePrice: p.referencePrice,
    checks: p.checks,
    failedChecks: p.checks.filter((c) => !c.passed).map((c) => c.code),
    warnings: p.warnings,
    decidedBy: p.decidedBy,
    decisionChannel: p.decisionChannel,
    decisionReason: p.decisionReason,
    brokerOrderId: p.brokerOrderId,
    error: p.error,
    howToApprove:
      p.status === "awaiting_approval"
        ? `A human must approve it: \`argus approve ${p.id}\` in a terminal, or POST /api/v1/approvals/${p.id} with the approver token. You cannot approve it.`
        : p.status === "blocked"
          ? "Blocked by the risk firewall; it can never be approved. Change the order and propose again."
          : "No approval is pending.",
  };
}

export const firewallShape = z.object({
  approved: z.boolean(),
  state: z.string(),
  evaluatedAt: timeField,
  estimate: z.object({ price: z.number().nullable(), notional: z.number().nullable(), qty: z.number().nullable() }),
  checks: z.array(checkShape),
  failedChecks: z.array(z.string()),
  warnings: z.array(z.string()),
  limits: z.record(z.string(), z.unknown()),
});

export function firewallOut(r: FirewallResult): z.input<typeof firewallShape> {
  return {
    approved: r.approved,
    state: r.state,
    evaluatedAt: toExchangeIso(r.evaluatedAt),
    estimate: r.estimate,
    checks: r.checks,
    failedChecks: r.checks.filter((c) => !c.passed).map((c) => c.code),
    warnings: r.warnings,
    limits: r.limits as unknown as Record<string, unknown>,
  };
}

export const orderShape = z.object({
  id: z.string(),
  clientOrderId: z.string(),
  symbol: z.string(),
  side: z.string(),
  type: z.string(),
  timeInForce: z.string(),
  qty: z.number().nullable(),
  notional: z.number().nullable(),
  filledQty: z.number(),
  filledAvgPrice: z.number().nullable(),
  limitPrice: z.number().nullable(),
  stopPrice: z.number().nullable(),
  status: z.string(),
  submittedAt: timeField,
  updatedAt: timeField,
  filledAt: timeField.nullable(),
  canceledAt: timeField.nullable(),
  expiredAt: timeField.nullable(),
  rejectReason: z.string().nullable(),
});

export function orderOut(o: BrokerOrder): z.input<typeof orderShape> {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    qty: o.qty,
    notional: o.notional,
    filledQty: o.filledQty,
    filledAvgPrice: o.filledAvgPrice,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    status: o.status,
    submittedAt: toExchangeIso(o.submittedAt),
    updatedAt: toExchangeIso(o.updatedAt),
    filledAt: iso(o.filledAt),
    canceledAt: iso(o.canceledAt),
    expiredAt: iso(o.expiredAt),
    rejectReason: o.rejectReason,
  };
}

export const positionShape = z.object({
  symbol: z.string(),
  qty: z.number(),
  side: z.enum(["long", "short"]),
  avgEntryPrice: z.number(),
  costBasis: z.number(),
  currentPrice: z.number(),
  priceAsOf: timeField,
  marketValue: z.number(),
  unrealizedPl: z.number(),
  unrealizedPlpc: z.number(),
});

export function positionOut(p: Position): z.input<typeof positionShape> {
  return { ...p, priceAsOf: toExchangeIso(p.priceAsOf) };
}

export const accountShape = z.object({
  currency: z.string(),
  cash: z.number(),
  equity: z.number(),
  lastEquity: z.number(),
  buyingPower: z.number(),
  longMarketValue: z.number(),
  shortMarketValue: z.number(),
  realizedPl: z.number(),
  daytradeCount: z.number(),
  patternDayTrader: z.boolean(),
  tradingBlocked: z.boolean(),
  status: z.string(),
});

export function accountOut(a: Account): z.input<typeof accountShape> {
  return { ...a };
}
