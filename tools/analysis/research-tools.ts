import { z } from "zod";
import { OUTLIER_METRICS } from "../../src/analysis/research.js";
import { ArgusError } from "../../src/core/errors.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { timeField } from "../data/shapes.js";
import { defineTool, READ_ONLY } from "../spec.js";

export const findOutliers = defineTool({
  name: "find_outliers",
  title: "Find outliers across symbols",
  description:
    "Cross-sectional z-scores across a universe (listed symbols, a sector, or everything loaded) of: return over the lookback, today's volume vs its 20-session average, RSI(14) and 20-session volatility. " +
    "Robust z-scores (median/MAD) by default; returns every symbol's scores and the outliers beyond the threshold. Needs at least three symbols.",
  input: z.object({
    symbols: z.array(symbolSchema).max(500).optional().describe("Universe; default: every loaded symbol (or the sector)"),
    sector: z.string().optional(),
    lookbackDays: z.number().int().positive().max(252).default(20),
    metrics: z.array(z.enum(OUTLIER_METRICS)).min(1).default([...OUTLIER_METRICS]),
    threshold: z.number().positive().max(10).default(2.5),
    robust: z.boolean().default(true),
  }),
  output: z.object({
    universe: z.array(z.string()),
    threshold: z.number(),
    robust: z.boolean(),
    outliers: z.array(z.object({ symbol: z.string(), metric: z.string(), value: z.number(), z: z.number(), direction: z.enum(["high", "low"]) })),
    metrics: z.array(
      z.object({
        metric: z.string(),
        method: z.enum(["robust", "classic"]).nullable(),
        center: z.number().nullable(),
        scale: z.number().nullable(),
        count: z.number().int(),
        scores: z.array(z.object({ symbol: z.string(), value: z.number(), z: z.number() })),
        skipped: z.array(z.string()),
      }),
    ),
    asOf: z.record(z.string(), timeField),
    notes: z.array(z.string()),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const r = app.analysis.research.outliers({
      lookbackDays: input.lookbackDays,
      metrics: input.metrics,
      threshold: input.threshold,
      robust: input.robust,
      ...(input.symbols !== undefined ? { symbols: input.symbols } : {}),
      ...(input.sector ? { sector: input.sector } : {}),
    });
    return {
      universe: r.universe,
      threshold: r.threshold,
      robust: r.robust,
      outliers: r.outliers,
      metrics: r.metrics,
      asOf: Object.fromEntries(Object.entries(r.asOf).map(([k, v]) => [k, toExchangeIso(v)])),
      notes: r.notes,
    };
  },
  summarize(o) {
    if (o.outliers.length === 0) return `No outliers beyond |z| ${o.threshold} among ${o.universe.length} symbols.`;
    return `${o.outliers.length} outliers among ${o.universe.length} symbols: ${o.outliers.slice(0, 8).map((x) => `${x.symbol} ${x.metric} ${x.direction} (z ${x.z.toFixed(1)})`).join(", ")}.`;
  },
});

const greeksShape = z.object({
  price: z.number(),
  delta: z.number(),
  gamma: z.number(),
  vega: z.number(),
  vegaPerPoint: z.number(),
  theta: z.number(),
  thetaPerDay: z.number(),
  rho: z.number(),
  rhoPerPoint: z.number(),
  d1: z.number(),
  d2: z.number(),
});

export const priceOptionTool = defineTool({
  name: "price_option",
  title: "Price a European option",
  description:
    "Black-Scholes-Merton price and greeks of a European call or put, or the implied volatility from a market price. " +
    "Give spot and volatility directly, or a symbol: its latest price is the spot and its 60-session realised volatility the default volatility (both reported). " +
    "Expiry as years or as a date. Theta is per year (and per calendar day); vega and rho per 1.00 and per point.",
  input: z.object({
    type: z.enum(["call", "put"]),
    symbol: symbolSchema.optional(),
    spot: z.number().positive().optional(),
    strike: z.number().positive(),
    years: z.number().positive().max(50).optional().describe("Time to expiry in years"),
    expiry: z.iso.date().optional().describe("Expiry date (YYYY-MM-DD); used when years is absent"),
    rate: z.number().min(-0.1).max(1).default(0.04).describe("Continuously compounded risk-free rate"),
    dividendYield: z.number().min(0).max(1).default(0),
    volatility: z.number().positive().max(5).optional(),
    marketPrice: z.number().positive().optional().describe("Option price to imply volatility from"),
  }),
  output: z.object({
    type: z.enum(["call", "put"]),
    strike: z.number(),
    years: z.number(),
    rate: z.number(),
    dividendYield: z.number(),
    inputs: z.object({ spot: z.number(), volatility: z.number().nullable(), spotSource: z.string(), volatilitySource: z.string() }),
    result: greeksShape.nullable(),
    impliedVolatility: z.object({ volatility: z.number(), iterations: z.number().int(), converged: z.boolean() }).nullable(),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    let years = input.years;
    if (years === undefined) {
      if (!input.expiry) throw new ArgusError("INVALID_INPUT", "Give the time to expiry as years (e.g. 0.25) or as an expiry date (YYYY-MM-DD).");
      years = (Date.parse(`${input.expiry}T16:00:00-05:00`) - app.clock.now()) / (365 * 86_400_000);
    }
    const r = app.analysis.research.option({
      type: input.type,
      strike: input.strike,
      years,
      rate: input.rate,
      dividendYield: input.dividendYield,
      ...(input.symbol ? { symbol: input.symbol } : {}),
      ...(input.spot !== undefined ? { spot: input.spot } : {}),
      ...(input.volatility !== undefined ? { volatility: input.volatility } : {}),
      ...(input.marketPrice !== undefined ? { marketPrice: input.marketPrice } : {}),
    });
    return { type: input.type, strike: input.strike, years, rate: input.rate, dividendYield: input.dividendYield, ...r };
  },
  summarize(o) {
    const iv = o.impliedVolatility ? `implied volatility ${(o.impliedVolatility.volatility * 100).toFixed(2)}%, ` : "";
    return o.result
      ? `${o.type} K=${o.strike}, ${o.years.toFixed(3)}y, spot ${o.inputs.spot}: ${iv}price ${o.result.price.toFixed(4)}, delta ${o.result.delta.toFixed(4)}, gamma ${o.result.gamma.toFixed(5)}, vega/pt ${o.result.vegaPerPoint.toFixed(4)}, theta/day ${o.result.thetaPerDay.toFixed(4)}.`
      : `${o.type} K=${o.strike}: no price.`;
  },
});

const metricsShape = z.object({
  periods: z.number().int(),
  totalReturn: z.number(),
  cagr: z.number(),
  annualizedVolatility: z.number(),
  sharpe: z.number().nullable(),
  sortino: z.number().nullable(),
  maxDrawdown: z.number(),
  maxDrawdownStart: z.number().int().nullable(),
  maxDrawdownEnd: z.number().int().nullable(),
  calmar: z.number().nullable(),
  beta: z.number().nullable(),
  alpha: z.number().nullable(),
  correlation: z.number().nullable(),
  historicalVaR: z.number(),
  historicalCVaR: z.number(),
  bestPeriod: z.number(),
  worstPeriod: z.number(),
  hitRate: z.number(),
});

export const portfolioMetricsTool = defineTool({
  name: "portfolio_metrics",
  title: "Portfolio metrics",
  description:
    "Return, CAGR, volatility, Sharpe, Sortino, max drawdown, Calmar, beta/alpha/correlation to a benchmark, and historical VaR and CVaR of a weighted portfolio of symbols " +
    "over their common daily history (weights must sum to 1; daily rebalancing or buy-and-hold). Daily periods, 252 a year.",
  input: z.object({
    holdings: z.array(z.object({ symbol: symbolSchema, weight: z.number().min(-1).max(1) })).min(1).max(100),
    from: z.string().optional(),
    to: z.string().optional(),
    benchmark: symbolSchema.optional().describe("Symbol to measure beta against, e.g. SPY or MKT.DEMO"),
    riskFreeRate: z.number().min(-0.1).max(1).default(0),
    rebalance: z.enum(["daily", "none"]).default("daily"),
    varConfidence: z.number().gt(0.5).lt(1).default(0.95),
  }),
  output: z.object({
    symbols: z.array(z.string()),
    benchmark: z.string().nullable(),
    from: timeField,
    to: timeField,
    periods: z.number().int(),
    synthetic: z.boolean(),
    metrics: metricsShape,
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const r = app.analysis.research.portfolio({
      holdings: input.holdings,
      riskFreeRate: input.riskFreeRate,
      rebalance: input.rebalance,
      varConfidence: input.varConfidence,
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
      ...(input.benchmark ? { benchmark: input.benchmark } : {}),
    });
    return { ...r, from: toExchangeIso(r.from), to: toExchangeIso(r.to) };
  },
  summarize(o) {
    const m = o.metrics;
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    const beta = m.beta === null ? "" : `, beta ${m.beta.toFixed(2)} to ${o.benchmark}`;
    return `${o.synthetic ? "[SYNTHETIC DEMO DATA, not real prices] " : ""}${o.symbols.join("+")} ${o.from.slice(0, 10)}..${o.to.slice(0, 10)}: return ${pct(m.totalReturn)}, CAGR ${pct(m.cagr)}, vol ${pct(m.annualizedVolatility)}, Sharpe ${m.sharpe?.toFixed(2) ?? "n/a"}, max drawdown ${pct(m.maxDrawdown)}, VaR ${pct(m.historicalVaR)}${beta}.`;
  },
});
