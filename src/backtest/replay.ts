import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { App } from "../app.js";
import { ArgusError } from "../core/errors.js";
import type { Bar } from "../data/bar.js";
import { dayNumber, weekday } from "../data/calendar/dates.js";
import type { NyseCalendar } from "../data/calendar/nyse-calendar.js";
import type { Approver } from "../execution/execution-manager.js";
import type { TradingState } from "../risk/types.js";
import type { EquityPoint, FillRecord } from "./report/metrics.js";
import type { HeldPosition, OrderPlan, RebalanceCadence, Strategy } from "./strategy/types.js";

/**
 * The replay driver: moves the run's BacktestClock through the trading calendar and, at
 * every step, lets the paper broker catch up, records the equity, asks the strategy and
 * sends each plan through the same ExecutionManager path a live order takes — propose
 * (firewall), approve (recorded policy, firewall again), submit to the paper broker.
 */

/** The approval channel of a backtest: a stated policy, never a silent bypass. */
export const BACKTEST_APPROVER: Approver = { actor: "backtest-policy:approve-if-firewall-passes", channel: "policy" };
const RESUMER: Approver = { actor: "backtest-policy:resume-after-sessions", channel: "policy" };

export interface ReplayProgress {
  done: number;
  total: number;
  date: string;
}

export interface ReplayRequest {
  timeframe: "1Day" | "1Min";
  start: string;
  end: string;
  universe: readonly string[];
  benchmark: string;
  cadence: RebalanceCadence;
  resumeAfterSessions: number | null;
  maxOrdersPerMinute: number;
}

export interface ProposalRecord {
  t: number;
  date: string;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  reason: string;
  /** submitted: sent to the broker; blocked: the firewall refused it (codes say why). */
  outcome: "submitted" | "blocked" | "blocked_on_recheck" | "broker_rejected";
  failedChecks: string[];
  detail?: string;
}

export interface StateEvent {
  date: string;
  from: TradingState;
  to: TradingState;
  by: string;
  reason: string;
}

export interface ReplayResult {
  points: EquityPoint[];
  fills: FillRecord[];
  proposals: ProposalRecord[];
  stateEvents: StateEvent[];
  steps: number;
  barsReplayed: number;
}

/** The instants a replay stops at: each session's close (daily) or each minute's end (intraday). */
export function stepTimes(calendar: NyseCalendar, timeframe: "1Day" | "1Min", start: string, end: string): { t: number; date: string }[] {
  const out: { t: number; date: string }[] = [];
  for (const date of calendar.tradingDays(start, end)) {
    const s = calendar.session(date);
    if (!s) continue;
    if (timeframe === "1Day") out.push({ t: s.close, date });
    else for (let t = s.open + 60_000; t <= s.close; t += 60_000) out.push({ t, date });
  }
  return out;
}

function weekKey(date: string): number {
  const d = dayNumber(date);
  return d - ((weekday(d) + 6) % 7);
}

/** Whether a step starts a new rebalance period, given the previous step's date. */
export function isRebalanceStep(cadence: RebalanceCadence, date: string, previousDate: string | null): boolean {
  if (previousDate === null || cadence === "every_bar") return true;
  switch (cadence) {
    case "daily":
      return date !== previousDate;
    case "weekly":
      return weekKey(date) !== weekKey(previousDate);
    case "monthly":
      return date.slice(0, 7) !== previousDate.slice(0, 7);
  }
}

function throwIfCancelled(signal: AbortSignal | undefined, date: string, done: number, total: number): void {
  if (signal?.aborted) {
    throw new ArgusError("CANCELLED", `The backtest was cancelled at ${date} (step ${done} of ${total}); nothing was stored.`, { date, done, total });
  }
}

export async function replay(
  run: { app: App; clock: { set(t: number): void; now(): number } },
  strategy: Strategy,
  req: ReplayRequest,
  opts: { signal?: AbortSignal; onProgress?: (p: ReplayProgress) => void } = {},
): Promise<ReplayResult> {
  const { app, clock } = run;
  const { data, execution } = app;
  const steps = stepTimes(data.calendar, req.timeframe, req.start, req.end);
  if (steps.length === 0) throw new ArgusError("NO_DATA", `There is no trading session between ${req.start} and ${req.end}.`, { start: req.start, end: req.end });
  const symbols = [...new Set([...req.universe, req.benchmark])];
  const universe = new Set(req.universe);

  // Warm-up reads happen at the first session's open: only earlier bars are visible.
  const firstSession = data.calendar.session(steps[0]!.date)!;
  clock.set(firstSession.open);
  const lastSeen = new Map<string, number>();
  for (const symbol of symbols) {
    const limit = Math.max(1, Math.min(strategy.warmupBars, app.config.data.maxBarsPerRequest));
    const warm = data.getBars({ symbol, timeframe: req.timeframe, limit }).bars;
    if (universe.has(symbol)) strategy.warm(symbol, warm);
    lastSeen.set(symbol, warm.at(-1)?.t ?? -Infinity);
  }

  const points: EquityPoint[] = [];
  const proposals: ProposalRecord[] = [];
  const stateEvents: StateEvent[] = [];
  const reasonByProposal = new Map<string, string>();
  const spacingMs = req.timeframe === "1Day" ? Math.ceil(60_000 / req.maxOrdersPerMinute) + 1 : 0;
  let barsReplayed = 0;
  let benchmarkClose: number | null = null;
  let previousDate: string | null = null;
  let state: TradingState = execution.tradingState().state;
  let changedOn = steps[0]!.date;
  const progressEvery = Math.max(1, Math.floor(steps.length / 200));
  let lastYield = performance.now();

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    throwIfCancelled(opts.signal, step.date, i, steps.length);
    clock.set(Math.max(step.t, clock.now()));

    const newBars = new Map<string, Bar>();
    for (const symbol of symbols) {
      const bar = data.latestBar(symbol, req.timeframe);
      if (!bar || bar.t <= lastSeen.get(symbol)!) continue;
      lastSeen.set(symbol, bar.t);
      barsReplayed++;
      if (symbol === req.benchmark) benchmarkClose = bar.close;
      if (universe.has(symbol)) newBars.set(symbol, bar);
    }

    // The replayed human: after a loss limit, trading resumes once the stated number of
    // sessions has passed since the session of the change (the same count in daily and minute runs).
    const current = execution.tradingState();
    if (current.state !== state) {
      stateEvents.push({ date: data.calendar.dateAt(current.changedAt), from: state, to: current.state, by: current.changedBy, reason: current.reason });
      state = current.state;
      changedOn = data.calendar.dateAt(current.changedAt);
    }
    const sessionsSinceChange = state === "ACTIVE" ? 0 : data.calendar.tradingDays(changedOn, step.date).length - 1;
    if (state !== "ACTIVE" && req.resumeAfterSessions !== null && sessionsSinceChange >= req.resumeAfterSessions) {
      const reason = `Resumed by the backtest's supervision policy ${req.resumeAfterSessions} sessions after the change to ${state}.`;
      execution.setState("ACTIVE", RESUMER, reason);
      stateEvents.push({ date: step.date, from: state, to: "ACTIVE", by: RESUMER.actor, reason });
      state = "ACTIVE";
    }

    const [account, positions] = await Promise.all([execution.account(), execution.positions()]);
    const held = new Map<string, HeldPosition>(positions.map((p) => [p.symbol, { qty: p.qty, avgEntryPrice: p.avgEntryPrice, marketValue: p.marketValue }]));
    points.push({ t: step.t, date: step.date, equity: account.equity, cash: account.cash, longMarketValue: account.longMarketValue, positions: positions.length, benchmarkClose });

    const plans = await strategy.onStep({
      now: clock.now(),
      date: step.date,
      newBars,
      rebalance: isRebalanceStep(req.cadence, step.date, previousDate),
      positions: held,
      equity: account.equity,
      cash: account.cash,
    });
    for (const plan of plans) {
      proposals.push(await submitPlan(app, plan, step.date, req.timeframe, reasonByProposal));
      // Keep to the order-rate limit the way a patient human would, between the close and the next open.
      if (spacingMs > 0) clock.set(clock.now() + spacingMs);
    }

    previousDate = step.date;
    if (i % progressEvery === 0 || i === steps.length - 1) opts.onProgress?.({ done: i + 1, total: steps.length, date: step.date });
    // Let cancellations and progress notifications through on long runs.
    if (performance.now() - lastYield > 20) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }

  const fills = await fillRecords(app, reasonByProposal);
  return { points, fills, proposals, stateEvents, steps: steps.length, barsReplayed };
}

async function submitPlan(app: App, plan: OrderPlan, date: string, timeframe: "1Day" | "1Min", reasons: Map<string, string>): Promise<ProposalRecord> {
  const base = { t: app.clock.now(), date, symbol: plan.symbol, side: plan.side, qty: plan.qty, reason: plan.reason };
  // Daily decisions are made after the close: market-on-open orders fill at the next open.
  const intent = { symbol: plan.symbol, side: plan.side, qty: plan.qty, type: "market" as const, timeInForce: timeframe === "1Day" ? ("opg" as const) : ("day" as const), ...(plan.stopLoss !== undefined ? { stopLoss: plan.stopLoss } : {}) };
  const proposal = await app.execution.propose(intent, { rationale: plan.reason });
  if (proposal.status === "blocked") {
    return { ...base, outcome: "blocked", failedChecks: proposal.checks.filter((c) => !c.passed).map((c) => c.code) };
  }
  reasons.set(proposal.id, plan.reason);
  try {
    const outcome = await app.execution.approve(proposal.id, BACKTEST_APPROVER);
    if (outcome.order) return { ...base, outcome: "submitted", failedChecks: [] };
    const failed = (outcome.recheck?.checks ?? []).filter((c) => !c.passed).map((c) => c.code);
    return { ...base, outcome: "blocked_on_recheck", failedChecks: failed };
  } catch (err) {
    if (err instanceof ArgusError && err.code === "BROKER_REJECTED") return { ...base, outcome: "broker_rejected", failedChecks: [], detail: err.message };
    throw err;
  }
}

/** The run's fills with the price each was made against (the bar's open, before slippage) and its reason. */
async function fillRecords(app: App, reasons: Map<string, string>): Promise<FillRecord[]> {
  const fills = await app.execution.fills();
  return fills.map((f) => {
    const minute = app.data.getBars({ symbol: f.symbol, timeframe: "1Min", from: new Date(f.t).toISOString(), to: new Date(f.t).toISOString(), limit: 1 }).bars[0];
    const date = app.data.calendar.dateAt(f.t);
    const daily = minute ? undefined : app.data.getBars({ symbol: f.symbol, timeframe: "1Day", from: date, to: date, limit: 1 }).bars[0];
    const referencePrice = minute?.t === f.t ? minute.open : (daily?.open ?? null);
    return { t: f.t, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, referencePrice, reason: reasons.get(f.clientOrderId) ?? "" };
  });
}
