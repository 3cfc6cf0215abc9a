import { ArgusError } from "../core/errors.js";
import type { DataManager } from "../data/data-manager.js";
import { rsi } from "./indicators/index.js";
import { impliedVolatility, priceOption, type OptionResult, type OptionType } from "./quant/black-scholes.js";
import { crossSectionalOutliers, type OutliersResult } from "./quant/outliers.js";
import { portfolioMetrics, returnsFromPrices, weightedReturns, type PortfolioMetrics } from "./quant/portfolio-metrics.js";
import { last, realizedVolatility, toColumns } from "./series.js";

export const OUTLIER_METRICS = ["return", "volumeRatio", "rsi", "volatility"] as const;
export type OutlierMetric = (typeof OUTLIER_METRICS)[number];

/**
 * Cross-sectional and portfolio research over the DataManager's bars (the parts of the
 * AnalysisEngine that do not produce a logged signal): outliers across a universe,
 * option prices with inputs taken from the data, and portfolio statistics.
 */
export class Research {
  constructor(private readonly data: DataManager) {}

  /** The symbols a universe request names: explicit list, a sector, or everything loaded. */
  resolveUniverse(req: { symbols?: string[]; sector?: string }): string[] {
    if (req.symbols !== undefined) {
      if (req.symbols.length === 0) throw new ArgusError("EMPTY_UNIVERSE", "The symbol list is empty; name at least three symbols, a sector, or leave symbols out for every loaded symbol.");
      return req.symbols.map((s) => this.data.requireSymbol(s).symbol);
    }
    const all = this.data.symbols(req.sector ? { sector: req.sector } : {}).map((s) => s.symbol);
    if (all.length === 0) {
      throw new ArgusError(
        "EMPTY_UNIVERSE",
        req.sector ? `No symbols in sector "${req.sector}"; list_symbols shows the sectors that exist.` : "No symbols are loaded; import bars or enable the demo dataset.",
        { sector: req.sector },
      );
    }
    return all;
  }

  outliers(req: { symbols?: string[]; sector?: string; lookbackDays: number; metrics: OutlierMetric[]; threshold: number; robust: boolean }): OutliersResult & { universe: string[]; asOf: Record<string, number> } {
    const universe = this.resolveUniverse(req);
    const asOf: Record<string, number> = {};
    const rows = universe.map((symbol) => {
      const bars = this.data.getBars({ symbol, timeframe: "1Day", limit: Math.max(req.lookbackDays, 60) + 21 }).bars;
      const values: Record<string, number> = {};
      if (bars.length > req.lookbackDays) {
        const cols = toColumns(bars);
        const n = bars.length;
        asOf[symbol] = bars[n - 1]!.t;
        values.return = cols.close[n - 1]! / cols.close[n - 1 - req.lookbackDays]! - 1;
        let avg = 0;
        for (let i = n - 21; i < n - 1; i++) avg += cols.volume[i]! / 20;
        if (n > 21 && avg > 0) values.volumeRatio = cols.volume[n - 1]! / avg;
        const r = last(rsi(cols.close, 14));
        if (r !== null) values.rsi = r;
        const v = realizedVolatility(cols.close, Math.min(20, n - 1));
        if (v !== null) values.volatility = v;
      }
      return { symbol, values };
    });
    return { ...crossSectionalOutliers(rows, { metrics: req.metrics, threshold: req.threshold, robust: req.robust }), universe, asOf };
  }

  /**
   * Black-Scholes price and greeks, or implied volatility when a market price is given.
   * With a symbol, the spot is its latest price and a missing volatility is its 60-session
   * realised volatility; both are reported so the caller sees what was assumed.
   */
  option(req: {
    type: OptionType;
    symbol?: string;
    spot?: number;
    strike: number;
    years: number;
    rate: number;
    dividendYield: number;
    volatility?: number;
    marketPrice?: number;
  }): { inputs: { spot: number; volatility: number | null; spotSource: string; volatilitySource: string }; result: OptionResult | null; impliedVolatility: { volatility: number; iterations: number; converged: boolean } | null } {
    let spot = req.spot;
    let spotSource = "given";
    let vol = req.volatility;
    let volSource = vol === undefined ? "none" : "given";
    if (req.symbol) {
      const price = this.data.latestPrice(req.symbol);
      if (spot === undefined) {
        spot = price.price;
        spotSource = `latest ${price.symbol} close (${new Date(price.asOf).toISOString()})${price.source.synthetic ? ", SYNTHETIC demo data" : ""}`;
      }
      if (vol === undefined && req.marketPrice === undefined) {
        const bars = this.data.getBars({ symbol: req.symbol, timeframe: "1Day", limit: 61 }).bars;
        const v = bars.length > 20 ? realizedVolatility(toColumns(bars).close, bars.length - 1) : null;
        if (v === null) throw new ArgusError("INSUFFICIENT_HISTORY", `${req.symbol} has too few daily bars to estimate volatility; pass volatility explicitly.`);
        vol = v;
        volSource = `${bars.length - 1}-session realised volatility of ${req.symbol}`;
      }
    }
    if (spot === undefined) throw new ArgusError("INVALID_INPUT", "Give spot, or a symbol whose latest price Argus should use.");
    if (req.marketPrice !== undefined) {
      const iv = impliedVolatility({ type: req.type, spot, strike: req.strike, years: req.years, rate: req.rate, dividendYield: req.dividendYield, price: req.marketPrice });
      const result = priceOption({ type: req.type, spot, strike: req.strike, years: req.years, rate: req.rate, dividendYield: req.dividendYield, volatility: iv.volatility });
      return { inputs: { spot, volatility: iv.volatility, spotSource, volatilitySource: "implied from the market price" }, result, impliedVolatility: iv };
    }
    if (vol === undefined) throw new ArgusError("INVALID_INPUT", "Give volatility, a market price to imply it from, or a symbol to estimate it from.");
    const result = priceOption({ type: req.type, spot, strike: req.strike, years: req.years, rate: req.rate, dividendYield: req.dividendYield, volatility: vol });
    return { inputs: { spot, volatility: vol, spotSource, volatilitySource: volSource }, result, impliedVolatility: null };
  }

  /** Statistics of a weighted portfolio of symbols over their common daily history. */
  portfolio(req: {
    holdings: { symbol: string; weight: number }[];
    from?: string;
    to?: string;
    benchmark?: string;
    riskFreeRate: number;
    rebalance: "daily" | "none";
    varConfidence: number;
  }): { metrics: PortfolioMetrics; from: number; to: number; periods: number; symbols: string[]; benchmark: string | null; synthetic: boolean } {
    const range = { ...(req.from ? { from: req.from } : {}), ...(req.to ? { to: req.to } : {}) };
    const series = req.holdings.map((h) => {
      const r = this.data.getBars({ symbol: h.symbol, timeframe: "1Day", limit: 20_000, ...range });
      return { symbol: r.symbol, bars: r.bars, synthetic: r.source.synthetic };
    });
    const bench = req.benchmark ? this.data.getBars({ symbol: req.benchmark, timeframe: "1Day", limit: 20_000, ...range }) : null;
    // Inner-join every series (and the benchmark) on time so all returns cover the same sessions.
    let common = new Set(series[0]!.bars.map((b) => b.t));
    for (const s of [...series.slice(1).map((x) => x.bars), ...(bench ? [bench.bars] : [])]) {
      const times = new Set(s.map((b) => b.t));
      common = new Set([...common].filter((t) => times.has(t)));
    }
    const times = [...common].sort((a, b) => a - b);
    if (times.length < 3) {
      throw new ArgusError("INSUFFICIENT_HISTORY", `The holdings share only ${times.length} daily bars in that range; widen it or pick symbols with overlapping history.`);
    }
    const closesOn = (bars: readonly { t: number; close: number }[]) => {
      const byTime = new Map(bars.map((b) => [b.t, b.close]));
      return Float64Array.from(times, (t) => byTime.get(t)!);
    };
    const returns = weightedReturns(series.map((s) => returnsFromPrices(closesOn(s.bars))), req.holdings.map((h) => h.weight), req.rebalance);
    const benchmarkReturns = bench ? returnsFromPrices(closesOn(bench.bars)) : undefined;
    const metrics = portfolioMetrics({ returns, ...(benchmarkReturns ? { benchmark: benchmarkReturns } : {}), riskFreeRate: req.riskFreeRate, varConfidence: req.varConfidence });
    return {
      metrics,
      from: times[0]!,
      to: times[times.length - 1]!,
      periods: returns.length,
      symbols: series.map((s) => s.symbol),
      benchmark: bench?.symbol ?? null,
      synthetic: series.some((s) => s.synthetic) || (bench?.source.synthetic ?? false),
    };
  }
}
