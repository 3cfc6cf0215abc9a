import type { Bar } from "../../data/bar.js";

/** A position as a strategy sees it at a step (read from the paper broker). */
export interface HeldPosition {
  qty: number;
  avgEntryPrice: number;
  marketValue: number;
}

/**
 * What a strategy sees at one replay step. Everything in it was read through the
 * managers under the backtest Clock, so nothing here is stamped after `now`.
 */
export interface StepView {
  /** The step's instant (the backtest Clock's now), epoch ms. */
  now: number;
  /** The New York session date of the step, YYYY-MM-DD. */
  date: string;
  /** Bars that completed at this step, by symbol (symbols without a new bar are absent). */
  newBars: ReadonlyMap<string, Bar>;
  /** Whether this step is one of the strategy's rebalance points (its cadence). */
  rebalance: boolean;
  positions: ReadonlyMap<string, HeldPosition>;
  /** Account equity and cash now. */
  equity: number;
  cash: number;
}

/** An order the strategy wants proposed; the firewall and the approval policy decide. */
export interface OrderPlan {
  symbol: string;
  side: "buy" | "sell";
  /** Whole shares, > 0. */
  qty: number;
  /** Why, in a sentence a reader of the report understands (rule values included). */
  reason: string;
  /** Protective stop used by the firewall for risk sizing, when the strategy has one. */
  stopLoss?: number;
}

export interface Strategy {
  /** Short name shown in reports, e.g. "rules:sma-cross" or "ensemble". */
  readonly name: string;
  /** Bars of history the strategy needs before the first step. */
  readonly warmupBars: number;
  /** Called once per symbol before the first step with the bars before the start, oldest first. */
  warm(symbol: string, bars: readonly Bar[]): void;
  /** Called at every step, in time order; returns the orders to propose now. */
  onStep(view: StepView): OrderPlan[] | Promise<OrderPlan[]>;
}

/** How often a strategy re-decides. Daily steps every session; weekly on a week's first session; monthly on a month's first. */
export const REBALANCE_CADENCES = ["every_bar", "daily", "weekly", "monthly"] as const;
export type RebalanceCadence = (typeof REBALANCE_CADENCES)[number];
