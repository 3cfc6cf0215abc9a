import { dayNumber } from "../../data/calendar/dates.js";
import { toExchangeIso } from "../../data/calendar/zone.js";
import { roundQty } from "../../execution/paper/fill-model.js";

/**
 * The numbers of a backtest report, from the replay's equity points and fills. Pure:
 * no I/O, no clock, Float64 throughout and nothing rounded (callers format). Fractions
 * are fractions (0.05 is 5%), including fields named "…Pct".
 */

/** One replay step, as recorded by the driver. */
export interface EquityPoint {
  /** Epoch ms of the step. */
  t: number;
  /** YYYY-MM-DD, New York. */
  date: string;
  equity: number;
  cash: number;
  longMarketValue: number;
  positions: number;
  /** Close of the benchmark symbol at this step; null before it has data. */
  benchmarkClose: number | null;
}

export interface FillRecord {
  t: number;
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  price: number;
  /** The bar's opening/reference price the fill was made against, before slippage; null when unknown. */
  referencePrice: number | null;
  reason: string;
}

export interface ReportInput {
  points: readonly EquityPoint[];
  fills: readonly FillRecord[];
  initialCash: number;
  /** Annual risk-free rate as a fraction (default 0). */
  riskFreeRate?: number;
  /** Steps per year for annualising (default 252, daily steps). */
  periodsPerYear?: number;
}

/** Performance of one equity curve (the strategy's or the benchmark's). */
export interface SeriesMetrics {
  /** Last value / initial cash − 1; null without points. */
  totalReturn: number | null;
  /** (end / initial cash)^(365.25 / calendar days from the first to the last point) − 1; null under 2 points or a zero span. */
  cagr: number | null;
  /** Sample std of per-step simple returns × √periodsPerYear; null under 2 returns. */
  volatility: number | null;
  /** (mean(r) − rf/periodsPerYear) / std(r) × √periodsPerYear; null when std is 0 or under 2 returns. */
  sharpe: number | null;
  /** Same numerator / downside deviation × √periodsPerYear; null when the downside deviation is 0. */
  sortino: number | null;
  /** Most negative drawdown, ≤ 0 (0 when the curve never fell below a previous peak). */
  maxDrawdown: number;
  /** Date of the peak the worst drawdown fell from; null when there was none. */
  maxDrawdownStart: string | null;
  maxDrawdownTrough: string | null;
  /** First date back at the peak after the trough; null when not recovered (or no drawdown). */
  maxDrawdownRecovery: string | null;
  /** cagr / |maxDrawdown|; null when either is missing or maxDrawdown is 0. */
  calmar: number | null;
}

/** A position opened from flat and closed back to flat, however many fills it took. */
export interface RoundTrip {
  symbol: string;
  entryT: number;
  /** New York date of the first buy. */
  entryDate: string;
  exitT: number;
  exitDate: string;
  /** All shares bought during the trip, adds included. */
  qtyBought: number;
  /** Total buy cost / qtyBought. */
  avgEntry: number;
  /** Total sell proceeds / shares sold. */
  avgExit: number;
  /** Σ (sell price − average cost at the time) × qty, as the broker realises it. */
  pnl: number;
  /** pnl / total cost of the buys. */
  returnPct: number;
  /** Calendar days (New York dates) from the first buy to the closing sell; 0 within a day. */
  holdingDays: number;
  /** Distinct non-empty fill reasons, in order of first appearance. */
  entryReasons: string[];
  exitReasons: string[];
}

/** A position still held at the end of the run. */
export interface OpenTrade {
  symbol: string;
  qty: number;
  avgEntry: number;
  entryT: number;
  entryDate: string;
  entryReasons: string[];
}

export interface ReportCurves {
  t: number[];
  equity: number[];
  /** equity / running peak − 1, ≤ 0. */
  drawdown: number[];
  /** Buy-and-hold of the benchmark: initialCash × close / first close; null before its first close. */
  benchmarkEquity: (number | null)[];
  benchmarkDrawdown: (number | null)[];
  /** longMarketValue / equity (0 when equity is 0). */
  exposure: number[];
}

export interface ReportNumbers {
  curves: ReportCurves;
  metrics: SeriesMetrics;
  /** The buy-and-hold curve's metrics over the points where it is defined; null if it never is. */
  benchmark: SeriesMetrics | null;
  /** Closed round trips, in the order they closed. */
  trades: RoundTrip[];
  /** Positions still open at the end, by symbol. */
  openTrades: OpenTrade[];
  tradeCount: number;
  /** Round trips with pnl > 0 / closed round trips; null when none closed. */
  hitRate: number | null;
  /**
   * Σ winning pnl / |Σ losing pnl|. Null when there are no trades or no losing trade:
   * the ratio is then undefined (∞ or 0/0), and a number would flatter a short record.
   */
  profitFactor: number | null;
  /** Mean pnl of winning round trips; null when none. */
  averageWin: number | null;
  /** Mean pnl of losing round trips (negative); null when none. */
  averageLoss: number | null;
  /** Every realised gain and loss, including partial sells of positions still open. */
  realizedPnl: number;
  costs: {
    /** Σ buy (price − ref) × qty + Σ sell (ref − price) × qty over fills with a reference price. */
    slippage: number;
    /** Always 0: the paper broker, like Alpaca, charges no commission. */
    commission: number;
    total: number;
    /** total / initialCash. */
    asPctOfInitial: number;
  };
  exposure: {
    /** Mean of longMarketValue / equity over points; null without points. */
    average: number | null;
    max: number | null;
    /** Fraction of points holding at least one position; null without points. */
    timeInMarket: number | null;
  };
  turnover: {
    /** Σ qty × price over all fills, buys and sells. */
    tradedNotional: number;
    /**
     * tradedNotional / mean equity / years (calendar span / 365.25); null when the span is
     * 0. Buys and sells both count (two-way), so turning the whole book over once a year
     * (buy it all, sell it all) is 2.0.
     */
    annual: number | null;
  };
}

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.25;
/** Positions at or under this many shares are flat (the paper broker's tolerance). */
const QTY_EPS = 1e-9;
/** A per-step std below this is float noise on a constant return, not risk. */
const STD_EPS = 1e-12;

/** equity / running peak − 1 per value (NaN where a value is not finite; the peak skips those). */
export function drawdownSeries(values: readonly number[]): number[] {
  const out = new Array<number>(values.length);
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = Number.NaN;
      continue;
    }
    if (v > peak) peak = v;
    out[i] = peak > 0 ? v / peak - 1 : 0;
  }
  return out;
}

function nyDate(t: number): string {
  return toExchangeIso(t).slice(0, 10);
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (Welford, n − 1). */
function sampleStd(xs: readonly number[]): number {
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - m;
    m += d / (i + 1);
    m2 += d * (xs[i]! - m);
  }
  return Math.sqrt(m2 / (xs.length - 1));
}

interface DrawdownEpisode {
  maxDrawdown: number;
  start: string | null;
  trough: string | null;
  recovery: string | null;
}

/** The worst drawdown of `values`: its depth, the peak it fell from, the trough and the recovery. */
function worstDrawdown(values: readonly number[], dates: readonly string[]): DrawdownEpisode {
  let peak = Number.NEGATIVE_INFINITY;
  let peakIndex = -1;
  let worst = 0;
  let startIndex = -1;
  let troughIndex = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v >= peak) {
      peak = v;
      peakIndex = i;
      continue;
    }
    const dd = peak > 0 ? v / peak - 1 : 0;
    if (dd < worst) {
      worst = dd;
      startIndex = peakIndex;
      troughIndex = i;
    }
  }
  if (troughIndex < 0) return { maxDrawdown: 0, start: null, trough: null, recovery: null };
  const peakValue = values[startIndex]!;
  let recovery: string | null = null;
  for (let i = troughIndex + 1; i < values.length; i++) {
    if (values[i]! >= peakValue) {
      recovery = dates[i]!;
      break;
    }
  }
  return { maxDrawdown: worst, start: dates[startIndex]!, trough: dates[troughIndex]!, recovery };
}

/** The metric set of one curve; `startValue` is the money it started from (the initial cash). */
export function seriesMetrics(
  values: readonly number[],
  t: readonly number[],
  dates: readonly string[],
  startValue: number,
  riskFreeRate: number,
  periodsPerYear: number,
): SeriesMetrics {
  const n = values.length;
  const dd = worstDrawdown(values, dates);
  const totalReturn = n > 0 ? values[n - 1]! / startValue - 1 : null;
  const spanDays = n >= 2 ? (t[n - 1]! - t[0]!) / DAY_MS : 0;
  const cagr = n >= 2 && spanDays > 0 ? (values[n - 1]! / startValue) ** (YEAR_DAYS / spanDays) - 1 : null;

  const returns: number[] = [];
  for (let i = 1; i < n; i++) returns.push(values[i]! / values[i - 1]! - 1);
  let volatility: number | null = null;
  let sharpe: number | null = null;
  let sortino: number | null = null;
  if (returns.length >= 2) {
    const rfPerStep = riskFreeRate / periodsPerYear;
    const excess = mean(returns) - rfPerStep;
    const std = sampleStd(returns);
    const annualise = Math.sqrt(periodsPerYear);
    volatility = std * annualise;
    if (std > STD_EPS) sharpe = (excess / std) * annualise;
    let downside = 0;
    for (const r of returns) {
      const shortfall = Math.min(r - rfPerStep, 0);
      downside += shortfall * shortfall;
    }
    const downsideDeviation = Math.sqrt(downside / returns.length);
    if (downsideDeviation > STD_EPS) sortino = (excess / downsideDeviation) * annualise;
  }
  const calmar = cagr !== null && dd.maxDrawdown < 0 ? cagr / Math.abs(dd.maxDrawdown) : null;
  return {
    totalReturn,
    cagr,
    volatility,
    sharpe,
    sortino,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownStart: dd.start,
    maxDrawdownTrough: dd.trough,
    maxDrawdownRecovery: dd.recovery,
    calmar,
  };
}

/** An open position being replayed, with what its round trip has done so far. */
interface Book {
  qty: number;
  avgPrice: number;
  entryT: number;
  boughtQty: number;
  buyCost: number;
  soldQty: number;
  sellProceeds: number;
  pnl: number;
  entryReasons: string[];
  exitReasons: string[];
}

function addReason(reasons: string[], reason: string): void {
  if (reason !== "" && !reasons.includes(reason)) reasons.push(reason);
}

interface TradeReplay {
  trades: RoundTrip[];
  openTrades: OpenTrade[];
  realizedPnl: number;
}

/**
 * Replays fills through a per-symbol book the way the paper broker applies them: a buy
 * averages in at cost, a sell realises (price − average) × qty (clamped to what is held;
 * a sell with nothing held is dropped, as the broker drops it), and a position back at
 * zero closes its round trip. Fills are taken in time order, ties in the order given.
 */
export function replayTrades(fills: readonly FillRecord[]): TradeReplay {
  const ordered = fills.map((f, i) => ({ f, i })).sort((a, b) => a.f.t - b.f.t || a.i - b.i);
  const books = new Map<string, Book>();
  const trades: RoundTrip[] = [];
  let realizedPnl = 0;
  for (const { f } of ordered) {
    let book = books.get(f.symbol);
    if (f.side === "buy") {
      if (!book) {
        book = { qty: 0, avgPrice: 0, entryT: f.t, boughtQty: 0, buyCost: 0, soldQty: 0, sellProceeds: 0, pnl: 0, entryReasons: [], exitReasons: [] };
        books.set(f.symbol, book);
      }
      const qty = roundQty(book.qty + f.qty);
      book.avgPrice = (book.qty * book.avgPrice + f.qty * f.price) / qty;
      book.qty = qty;
      book.boughtQty += f.qty;
      book.buyCost += f.qty * f.price;
      addReason(book.entryReasons, f.reason);
      continue;
    }
    if (!book) continue;
    const qty = Math.min(f.qty, book.qty);
    if (qty <= 0) continue;
    const realized = (f.price - book.avgPrice) * qty;
    realizedPnl += realized;
    book.pnl += realized;
    book.soldQty += qty;
    book.sellProceeds += qty * f.price;
    addReason(book.exitReasons, f.reason);
    book.qty = roundQty(book.qty - qty);
    if (book.qty > QTY_EPS) continue;
    books.delete(f.symbol);
    const entryDate = nyDate(book.entryT);
    const exitDate = nyDate(f.t);
    trades.push({
      symbol: f.symbol,
      entryT: book.entryT,
      entryDate,
      exitT: f.t,
      exitDate,
      qtyBought: book.boughtQty,
      avgEntry: book.buyCost / book.boughtQty,
      avgExit: book.sellProceeds / book.soldQty,
      pnl: book.pnl,
      returnPct: book.buyCost > 0 ? book.pnl / book.buyCost : 0,
      holdingDays: dayNumber(exitDate) - dayNumber(entryDate),
      entryReasons: book.entryReasons,
      exitReasons: book.exitReasons,
    });
  }
  const openTrades = [...books.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([symbol, b]) => ({ symbol, qty: b.qty, avgEntry: b.avgPrice, entryT: b.entryT, entryDate: nyDate(b.entryT), entryReasons: b.entryReasons }));
  return { trades, openTrades, realizedPnl };
}

/** Slippage paid against each fill's reference price (positive = cost). */
export function slippageCost(fills: readonly FillRecord[]): number {
  let cost = 0;
  for (const f of fills) {
    if (f.referencePrice === null) continue;
    cost += f.side === "buy" ? (f.price - f.referencePrice) * f.qty : (f.referencePrice - f.price) * f.qty;
  }
  return cost;
}

/** The benchmark held from its first close: initialCash × close / first close (null until then). */
function benchmarkCurve(points: readonly EquityPoint[], initialCash: number): (number | null)[] {
  let base: number | null = null;
  return points.map((p) => {
    const close = p.benchmarkClose;
    // A missing or non-positive close is no price at all.
    if (close === null || !Number.isFinite(close) || close <= 0) return null;
    base ??= close;
    return (initialCash * close) / base;
  });
}

export function computeReport(input: ReportInput): ReportNumbers {
  const { points, fills, initialCash } = input;
  const riskFreeRate = input.riskFreeRate ?? 0;
  const periodsPerYear = input.periodsPerYear ?? 252;
  const n = points.length;

  const t = points.map((p) => p.t);
  const dates = points.map((p) => p.date);
  const equity = points.map((p) => p.equity);
  const exposure = points.map((p) => (p.equity > 0 ? p.longMarketValue / p.equity : 0));

  const benchmarkEquity = benchmarkCurve(points, initialCash);
  const defined: number[] = [];
  benchmarkEquity.forEach((v, i) => {
    if (v !== null) defined.push(i);
  });
  const benchmarkValues = defined.map((i) => benchmarkEquity[i]!);
  const benchmarkDrawdown = new Array<number | null>(n).fill(null);
  drawdownSeries(benchmarkValues).forEach((d, k) => (benchmarkDrawdown[defined[k]!] = d));

  const metrics = seriesMetrics(equity, t, dates, initialCash, riskFreeRate, periodsPerYear);
  const benchmark =
    defined.length > 0
      ? seriesMetrics(
          benchmarkValues,
          defined.map((i) => t[i]!),
          defined.map((i) => dates[i]!),
          initialCash,
          riskFreeRate,
          periodsPerYear,
        )
      : null;

  const { trades, openTrades, realizedPnl } = replayTrades(fills);
  const wins = trades.filter((r) => r.pnl > 0).map((r) => r.pnl);
  const losses = trades.filter((r) => r.pnl < 0).map((r) => r.pnl);
  const sumWins = wins.reduce((s, x) => s + x, 0);
  const sumLosses = losses.reduce((s, x) => s + x, 0);

  const slippage = slippageCost(fills);
  const commission = 0;
  const totalCost = slippage + commission;

  let tradedNotional = 0;
  for (const f of fills) tradedNotional += f.qty * f.price;
  const years = n >= 2 ? (t[n - 1]! - t[0]!) / DAY_MS / YEAR_DAYS : 0;
  const meanEquity = n > 0 ? mean(equity) : 0;

  return {
    curves: { t, equity, drawdown: drawdownSeries(equity), benchmarkEquity, benchmarkDrawdown, exposure },
    metrics,
    benchmark,
    trades,
    openTrades,
    tradeCount: trades.length,
    hitRate: trades.length > 0 ? wins.length / trades.length : null,
    profitFactor: losses.length > 0 ? sumWins / Math.abs(sumLosses) : null,
    averageWin: wins.length > 0 ? sumWins / wins.length : null,
    averageLoss: losses.length > 0 ? sumLosses / losses.length : null,
    realizedPnl,
    costs: { slippage, commission, total: totalCost, asPctOfInitial: totalCost / initialCash },
    exposure: {
      average: n > 0 ? mean(exposure) : null,
      max: n > 0 ? exposure.reduce((m, x) => Math.max(m, x), Number.NEGATIVE_INFINITY) : null,
      timeInMarket: n > 0 ? points.filter((p) => p.positions > 0).length / n : null,
    },
    turnover: { tradedNotional, annual: years > 0 && meanEquity > 0 ? tradedNotional / meanEquity / years : null },
  };
}
