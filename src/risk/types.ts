import type { Account, BrokerOrder, OrderRequest, Position } from "../execution/types.js";
import type { RiskLimits } from "./limits.js";

export const TRADING_STATES = ["ACTIVE", "REDUCING", "HALTED"] as const;
export type TradingState = (typeof TRADING_STATES)[number];

/** An order as the firewall judges it: the request plus the protective stop used for sizing. */
export interface OrderIntent extends Omit<OrderRequest, "clientOrderId"> {
  clientOrderId?: string;
  /** Protective stop price for sizing; absent → defaultStopAtr × ATR. */
  stopLoss?: number;
}

/**
 * Everything a check may look at, gathered once by the ExecutionManager before an
 * evaluation. Checks are pure functions of (intent, context): no I/O, no clock reads.
 * Anything unknown is null, and a check that needs it fails closed.
 */
export interface RiskContext {
  now: number;
  mode: "paper" | "live";
  state: TradingState;
  limits: RiskLimits;
  account: Account | null;
  positions: Position[];
  openOrders: BrokerOrder[];
  /** Reference price of the order's symbol. */
  price: { price: number; asOf: number; sessionsSince: number } | null;
  /** Whether the regular session is open now (market orders outside it need extendedHours rules). */
  marketOpen: boolean;
  symbol: { symbol: string; sector: string | null; tradable: boolean } | null;
  /** Sector of any symbol (for positions and open orders). */
  sectorOf: (symbol: string) => string | null;
  /** Reference price of any symbol, for valuing open orders; null when unknown. */
  priceOf: (symbol: string) => number | null;
  /** ATR(14) of the order's symbol on daily bars, for default stop distance. */
  atr: number | null;
  /** Regime of the order's symbol, when the AnalysisEngine can tell. */
  regime: "TRENDING" | "MEAN_REVERTING" | "CHOPPY" | "PANIC" | null;
  /** Equity marks for loss limits and drawdown. */
  equity: { current: number; previousClose: number; startOfWeek: number; peak: number } | null;
  /** Orders evaluated for submission recently (for the throttle and duplicate checks). */
  recent: { clientOrderId: string; contentHash: string; t: number }[];
  /** Client ids ever used (a broker rejects reuse even after cancel). */
  usedClientOrderIds: ReadonlySet<string>;
  /** Day trades in the last 5 sessions, and whether this order would be one. */
  dayTrades: { count: number; wouldBeDayTrade: boolean };
  /** SHA-256 of the intent's canonical contents (duplicate detection). */
  contentHash: string;
}

export interface CheckResult {
  /** Stable SCREAMING_SNAKE code, e.g. PRICE_STALE; the same code whether it passes or not. */
  code: string;
  passed: boolean;
  detail: string;
  /** A passing check may still warn (shown to the approver). */
  warning?: string;
}

export type RiskCheck = (intent: OrderIntent, ctx: RiskContext) => CheckResult;

export interface FirewallResult {
  approved: boolean;
  checks: CheckResult[];
  /** The limits in force, exactly as evaluated. */
  limits: RiskLimits;
  state: TradingState;
  evaluatedAt: number;
  /** Reference price and estimated notional used. */
  estimate: { price: number | null; notional: number | null; qty: number | null };
  warnings: string[];
}
