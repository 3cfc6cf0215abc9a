import { z } from "zod";
import { ArgusError } from "../core/errors.js";
import { isValidIsoDate } from "../data/calendar/dates.js";
import { symbolSchema } from "../data/symbol.js";
import { riskLimitsSchema } from "../risk/limits.js";
import { rulesStrategySchema, sizingSchema, validateRulesStrategy } from "./strategy/rules-schema.js";
import { REBALANCE_CADENCES } from "./strategy/types.js";

/**
 * A backtest configuration: plain data, validated here before anything runs, so a model
 * can propose one and a human can keep it in a file. Everything that changes the numbers
 * is in it (or in the data, which is hashed separately).
 */

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(isValidIsoDate, "is not a calendar date");

export const ensembleStrategySchema = z
  .object({
    kind: z.literal("ensemble"),
    rebalance: z.enum(REBALANCE_CADENCES).default("weekly").describe("How often every universe symbol is re-analysed (default weekly: the first session of each week)."),
    sizing: sizingSchema.default({ kind: "equal_weight", slots: 10 }).describe("How many shares a BUY decision buys (default: equal weight over 10 slots)."),
    minConfidence: z.number().min(0).max(1).default(0).describe("Ignore BUY/SELL decisions below this confidence (0–1)."),
  })
  .strict()
  .describe("Argus's default analysis: the AnalysisEngine's ensemble (RSI, momentum, VWAP votes, regime, probability model — left out on dates inside the data it was fitted on) on each symbol; BUY opens a position, SELL closes it.");

export const nullStrategySchema = z
  .object({ kind: z.literal("null") })
  .strict()
  .describe("Never trades: replays the data, the clock, the broker and the equity curve only (a baseline and a throughput probe).");

export const strategySchema = z.discriminatedUnion("kind", [rulesStrategySchema, ensembleStrategySchema, nullStrategySchema]);
export type StrategyConfig = z.infer<typeof strategySchema>;

export const OBJECTIVES = ["sharpe", "sortino", "cagr", "calmar", "totalReturn"] as const;
export type Objective = (typeof OBJECTIVES)[number];

const sweepSchema = z
  .object({
    parameters: z
      .record(z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, "must be a dotted path into the strategy, e.g. indicators.fast.period"), z.array(z.number()).min(1).max(50))
      .refine((r) => Object.keys(r).length > 0, "name at least one parameter")
      .describe("Dotted paths into the strategy object (e.g. indicators.fast.period, sizing.slots) → the values to try."),
    objective: z.enum(OBJECTIVES).default("sharpe").describe("What 'best' means when choosing parameters."),
  })
  .strict();

const walkForwardSchema = z
  .object({
    trainMonths: z.number().int().min(1).max(240).describe("Length of each in-sample window, in calendar months."),
    testMonths: z.number().int().min(1).max(120).describe("Length of each out-of-sample window that follows it; windows step forward by this much."),
  })
  .strict();

export const backtestConfigSchema = z
  .object({
    name: z.string().min(1).max(120).optional().describe("A label for listings."),
    start: isoDay.describe("First session replayed (YYYY-MM-DD, New York)."),
    end: isoDay.describe("Last session replayed (YYYY-MM-DD, inclusive)."),
    timeframe: z.enum(["1Day", "1Min"]).default("1Day").describe("Step size: one step per session (1Day) or per minute of the regular session (1Min)."),
    universe: z.array(symbolSchema).min(1, "the universe is empty: name at least one symbol").max(500).describe("Symbols the strategy may trade (they must have bars in the range)."),
    benchmark: symbolSchema.optional().describe("Buy-and-hold comparison (default SPY when it has data in the range, else the first universe symbol)."),
    initialCash: z.number().positive().max(1e12).default(100_000).describe("Starting cash of the paper account, USD."),
    costs: z
      .object({
        slippageBps: z.number().min(0).max(1000).default(5).describe("Slippage on market fills, basis points."),
        participation: z.number().positive().max(1).default(0.1).describe("Largest fraction of a bar's volume one order may fill in that bar."),
      })
      .strict()
      .prefault({}),
    strategy: strategySchema,
    limits: riskLimitsSchema.partial().strict().optional().describe("Risk limits to change for this run only; everything else comes from your limits file."),
    supervision: z
      .object({
        resumeAfterSessions: z
          .number()
          .int()
          .min(1)
          .max(10_000)
          .nullable()
          .default(5)
          .describe("After a loss limit moves the state to REDUCING or HALTED, the replayed human resumes trading after this many sessions (null: never)."),
      })
      .strict()
      .prefault({}),
    sweep: sweepSchema.optional().describe("Run every combination of these parameters (rules strategies only)."),
    walkForward: walkForwardSchema.optional().describe("With a sweep: choose parameters on each train window, then test them on the window that follows."),
  })
  .strict();

export type BacktestConfigInput = z.input<typeof backtestConfigSchema>;
export type BacktestConfig = z.infer<typeof backtestConfigSchema>;

/** Sweeps above this many runs are refused: each run replays the whole range. */
export const MAX_SWEEP_RUNS = 200;

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.length === 0 ? "(config)" : issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** Validates a configuration without touching data: shape, dates in order, sweep paths. */
export function parseBacktestConfig(input: unknown): BacktestConfig {
  // The rules validator checks nesting depth first and names paths; deep input must not reach zod's recursion.
  const strategy = typeof input === "object" && input !== null ? (input as { strategy?: unknown }).strategy : undefined;
  if (typeof strategy === "object" && strategy !== null && (strategy as { kind?: unknown }).kind === "rules") validateRulesStrategy(strategy);
  const parsed = backtestConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 8).map((i) => `${pathOf(i)}: ${i.message}`);
    throw new ArgusError("INVALID_INPUT", `Invalid backtest configuration — ${problems.join("; ")}.`, { problems });
  }
  const cfg = parsed.data;
  if (cfg.start > cfg.end) {
    throw new ArgusError("INVALID_RANGE", `start ${cfg.start} is after end ${cfg.end}; the replay runs forward from start to end.`, { start: cfg.start, end: cfg.end });
  }
  if (cfg.walkForward && !cfg.sweep) {
    throw new ArgusError("INVALID_INPUT", "walkForward needs a sweep: name the parameters to choose on each train window.");
  }
  if (cfg.sweep) {
    if (cfg.strategy.kind !== "rules") throw new ArgusError("INVALID_INPUT", `sweep works on declarative (kind "rules") strategies; this one is "${cfg.strategy.kind}".`);
    const runs = Object.values(cfg.sweep.parameters).reduce((n, v) => n * v.length, 1);
    if (runs > MAX_SWEEP_RUNS) throw new ArgusError("INVALID_INPUT", `The sweep has ${runs} combinations; at most ${MAX_SWEEP_RUNS} are allowed. Try fewer values.`);
    for (const path of Object.keys(cfg.sweep.parameters)) {
      const current = readPath(cfg.strategy, path);
      if (typeof current !== "number") {
        throw new ArgusError("INVALID_INPUT", `sweep.parameters.${path}: the strategy has no number at "${path}"${current === undefined ? "" : ` (it holds ${JSON.stringify(current)})`}.`);
      }
    }
  }
  return cfg;
}

export function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split(".")) {
    if (typeof cur !== "object" || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A copy of `obj` with the number at `path` replaced (the path must exist; see parseBacktestConfig). */
export function withPath<T>(obj: T, path: string, value: number): T {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const keys = path.split(".");
  let cur = copy;
  for (const key of keys.slice(0, -1)) cur = cur[key] as Record<string, unknown>;
  cur[keys[keys.length - 1]!] = value;
  return copy as T;
}
