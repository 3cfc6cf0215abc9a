import { z } from "zod";
import { ArgusError } from "../../core/errors.js";
import { INDICATOR_NAMES, indicatorRequestSchema, type IndicatorName } from "../../analysis/indicator-catalog.js";
import { REBALANCE_CADENCES } from "./types.js";

/**
 * The declarative ("rules") strategy: plain JSON a model can propose and a human can keep
 * in a file. Everything that could fail at run time (an unknown alias, an output the
 * indicator does not have, MACD fast ≥ slow) is rejected here, before any replay starts,
 * with the JSON path of the offending field in the message.
 *
 * Conditions are a small boolean tree: {all: […]}, {any: […]}, {not: …} or a comparison
 * {left, op, right}. Operands are numbers, price fields of the current bar, declared
 * indicator aliases, or "alias.output" for one output of a multi-output indicator.
 */

export const PRICE_FIELDS = ["open", "high", "low", "close", "volume"] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];

export const COMPARISON_OPERATORS = [">", ">=", "<", "<=", "crosses_above", "crosses_below"] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** Most comparisons in one condition tree (entry or exit): keeps evaluation per bar bounded. */
export const MAX_COMPARISONS = 32;
/** Deepest nesting of all/any/not in one condition tree. */
export const MAX_CONDITION_DEPTH = 8;
/** Most indicator aliases one strategy may declare. */
export const MAX_INDICATORS = 16;
/**
 * Raw JSON nesting accepted by `validateRulesStrategy` before zod sees it: zod parses the
 * recursive condition schema recursively, and a pathological depth would overflow the
 * stack (a RangeError) instead of failing with a clear message.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * What each indicator produces and which parameters it takes. Output names are the series
 * names of `computeIndicator` (indicator-catalog.ts); `primary` is the output an alias
 * means when used without ".output".
 */
export const INDICATOR_SPECS: Record<IndicatorName, { outputs: readonly string[]; primary: string; params: readonly string[] }> = {
  sma: { outputs: ["value"], primary: "value", params: ["period"] },
  ema: { outputs: ["value"], primary: "value", params: ["period"] },
  rsi: { outputs: ["value"], primary: "value", params: ["period"] },
  macd: { outputs: ["macd", "signal", "histogram"], primary: "macd", params: ["fast", "slow", "signal"] },
  bollinger: { outputs: ["middle", "upper", "lower", "percentB", "bandwidth"], primary: "middle", params: ["period", "stdDev"] },
  atr: { outputs: ["value"], primary: "value", params: ["period"] },
  vwap: { outputs: ["value"], primary: "value", params: [] },
  obv: { outputs: ["value"], primary: "value", params: [] },
  roc: { outputs: ["value"], primary: "value", params: ["period"] },
  stochastic: { outputs: ["k", "d"], primary: "k", params: ["period", "signal"] },
  adx: { outputs: ["adx", "plusDI", "minusDI"], primary: "adx", params: ["period"] },
};

const ALIAS_RE = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const OPERAND_RE = /^[A-Za-z_][A-Za-z0-9_]{0,31}(\.[A-Za-z][A-Za-z0-9]{0,31})?$/;
const list = (xs: readonly string[]): string => xs.join(", ");

// ---------------------------------------------------------------------------------------
// Sizing (shared with the ensemble strategy)

export const sizingSchema = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("equal_weight"),
        slots: z.number().int().min(1).max(500).describe("Number of equal positions: each entry targets equity / slots of notional, and no entry is planned while all slots are taken."),
      })
      .strict()
      .describe("Equal weight: target notional = equity / slots; at most `slots` positions at once."),
    z
      .object({
        kind: z.literal("percent_equity"),
        pct: z.number().gt(0).max(1).describe("Fraction of equity per entry, 0 < pct ≤ 1 (0.1 = 10%)."),
      })
      .strict()
      .describe("Each entry targets pct × equity of notional."),
    z
      .object({
        kind: z.literal("fixed_notional"),
        amount: z.number().positive().max(1e12).describe("USD notional per entry."),
      })
      .strict()
      .describe("Each entry targets a fixed USD amount."),
    z
      .object({
        kind: z.literal("fixed_shares"),
        shares: z.number().int().min(1).max(1e9).describe("Whole shares per entry."),
      })
      .strict()
      .describe("Each entry buys a fixed number of shares."),
    z
      .object({
        kind: z.literal("atr_risk"),
        riskPct: z.number().gt(0).max(1).describe("Fraction of equity risked per entry if the stop is hit, 0 < riskPct ≤ 1 (0.01 = 1%)."),
        atrPeriod: z.number().int().min(1).max(1000).default(14).describe("ATR lookback in bars (default 14)."),
        atrMultiple: z.number().positive().max(50).default(2).describe("Stop distance in ATRs (default 2)."),
      })
      .strict()
      .describe("Volatility sizing: qty = floor(riskPct × equity / (atrMultiple × ATR)), and a stop of close − atrMultiple × ATR that the firewall uses to size risk (it is not placed as an order)."),
  ])
  .describe("How many whole shares an entry buys. Entries that the remaining cash cannot pay for are skipped.");

export type Sizing = z.infer<typeof sizingSchema>;

// ---------------------------------------------------------------------------------------
// Operands and conditions

export type Operand = number | string;

export interface Comparison {
  left: Operand;
  op: ComparisonOperator;
  right: Operand;
}

export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const OPERAND_FORMS = 'a number, a price field ("open", "high", "low", "close", "volume"), a declared indicator alias ("fast") or "alias.output" ("bb.lower")';

/** Field descriptions override the operand's own, so each operand field repeats the guide. */
const OPERAND_GUIDE =
  `An operand: ${OPERAND_FORMS}. Price fields are the current bar's. Outputs: macd → macd, signal, histogram; bollinger → middle, upper, lower, percentB, bandwidth; ` +
  "stochastic → k, d; adx → adx, plusDI, minusDI; single-output indicators → value. An alias alone means its primary output: macd → macd, bollinger → middle, stochastic → k, adx → adx.";

export const operandSchema = z
  .union([z.number(), z.string().regex(OPERAND_RE, `an operand string is ${OPERAND_FORMS.slice("a number, ".length)}`)], { error: `an operand is ${OPERAND_FORMS}` })
  .describe(OPERAND_GUIDE);

const COMPOUND_KEYS = ["all", "any", "not"] as const;
const COMPARISON_KEYS = ["left", "op", "right"] as const;

/**
 * One object with every key optional plus a shape check, rather than a zod union: a union
 * that fails reports only "Invalid input", while this reports the exact field
 * (`entry.all[0].op: Invalid option: expected one of …`).
 */
const conditionObject = z
  .object({
    all: z
      .array(z.lazy(() => conditionSchema))
      .min(1)
      .max(MAX_COMPARISONS)
      .optional()
      .describe("True when every listed condition is true."),
    any: z
      .array(z.lazy(() => conditionSchema))
      .min(1)
      .max(MAX_COMPARISONS)
      .optional()
      .describe("True when at least one listed condition is true."),
    not: z
      .lazy(() => conditionSchema)
      .optional()
      .describe("True when the nested condition is false."),
    left: operandSchema.optional().describe(`Comparison: the left side. ${OPERAND_GUIDE}`),
    op: z
      .enum(COMPARISON_OPERATORS)
      .optional()
      .describe(
        "Comparison operator. crosses_above: left was ≤ right on the previous bar and is > right now; crosses_below: left was ≥ right and is < right now. " +
          "A comparison with a value still warming up (NaN) is false.",
      ),
    right: operandSchema.optional().describe("Comparison: the right side, an operand of the same forms as left."),
  })
  .strict()
  .superRefine((c, ctx) => {
    const compound = COMPOUND_KEYS.filter((k) => c[k] !== undefined);
    const comparison = COMPARISON_KEYS.filter((k) => c[k] !== undefined);
    if (compound.length === 1 && comparison.length === 0) return;
    if (compound.length === 0 && comparison.length === 3) return;
    const shapes = '{"all": [...]}, {"any": [...]}, {"not": {...}} or a comparison {"left", "op", "right"}';
    if (compound.length === 0 && comparison.length > 0) {
      const missing = COMPARISON_KEYS.filter((k) => c[k] === undefined);
      ctx.addIssue({ code: "custom", message: `a comparison needs left, op and right (missing: ${list(missing)})` });
    } else {
      const keys = [...compound, ...comparison];
      ctx.addIssue({ code: "custom", message: `a condition is exactly one of ${shapes}; this one has ${keys.length === 0 ? "no keys" : `keys ${list(keys)}`}` });
    }
  });

export const conditionSchema = conditionObject.describe(
  'A condition: exactly one of {"all": [conditions]}, {"any": [conditions]}, {"not": condition} or a comparison {"left": operand, "op": ">"|">="|"<"|"<="|"crosses_above"|"crosses_below", "right": operand}. ' +
    `At most ${MAX_COMPARISONS} comparisons and ${MAX_CONDITION_DEPTH} levels of nesting per tree.`,
) as unknown as z.ZodType<Condition, Condition>;

// ---------------------------------------------------------------------------------------
// Indicators

/** The catalog's request, strict (a misspelt parameter is an error, not silently dropped). */
export const ruleIndicatorSchema = indicatorRequestSchema
  .extend({
    name: z
      .enum(INDICATOR_NAMES, { error: (iss) => `unknown indicator ${JSON.stringify(iss.input)} (known: ${list(INDICATOR_NAMES)})` })
      .describe(`Indicator: ${list(INDICATOR_NAMES)}.`),
  })
  .strict()
  .describe(
    "An indicator request, computed on every bar of every universe symbol. Parameters: sma/ema period (default 20); rsi/atr/adx period (14); roc period (12); " +
      "bollinger period (20), stdDev (2); macd fast (12), slow (26), signal (9); stochastic period (%K, 14), signal (%D, 3); vwap and obv take none (vwap resets each New York session).",
  );

export type RuleIndicator = z.infer<typeof ruleIndicatorSchema>;

// ---------------------------------------------------------------------------------------
// The strategy

const rulesStrategyShape = z
  .object({
    kind: z.literal("rules"),
    name: z.string().min(1).max(80).optional().describe("A short label for reports, e.g. sma-cross."),
    indicators: z
      .record(z.string(), ruleIndicatorSchema)
      .default({})
      .describe(
        `Indicator aliases (letters, digits, _; not a price field) → indicator requests, e.g. {"fast": {"name": "sma", "period": 20}, "bb": {"name": "bollinger"}}. At most ${MAX_INDICATORS}.`,
      ),
    entry: conditionSchema.describe("When a symbol that is not held is bought (evaluated on rebalance steps for symbols with a new bar)."),
    exit: conditionSchema.optional().describe("When a held symbol is sold in full (evaluated on rebalance steps). Without it, positions are held to the end."),
    rankBy: operandSchema
      .optional()
      .describe(`When more symbols qualify for entry than cash or slots allow, the higher value of this operand goes first (ties, and a value still warming up: universe order). Default: universe order. ${OPERAND_GUIDE}`),
    sizing: sizingSchema.default({ kind: "equal_weight", slots: 10 }).describe("How many shares an entry buys (default: equal weight over 10 slots)."),
    rebalance: z
      .enum(REBALANCE_CADENCES)
      .default("daily")
      .describe("When rules are evaluated: every_bar, daily (each session), weekly (first session of a week), monthly (first session of a month). Indicators update on every bar regardless."),
  })
  .strict();

export type RulesStrategyConfig = z.infer<typeof rulesStrategyShape>;
export type RulesStrategyInput = z.input<typeof rulesStrategyShape>;

export const rulesStrategySchema = rulesStrategyShape
  .superRefine((s, ctx) => checkReferences(s, ctx))
  .describe(
    "A declarative strategy: named indicators, an entry and an exit condition, optional ranking, and a sizing rule. crosses_above / crosses_below compare with the previous bar.",
  );

type Path = (string | number)[];
type Ctx = z.RefinementCtx;

/** Aliases, outputs, parameters and tree size: everything zod's shape check cannot see. */
function checkReferences(s: RulesStrategyConfig, ctx: Ctx): void {
  const aliases = Object.keys(s.indicators);
  if (aliases.length > MAX_INDICATORS) {
    ctx.addIssue({ code: "custom", path: ["indicators"], message: `at most ${MAX_INDICATORS} indicators may be declared (got ${aliases.length})` });
  }
  for (const alias of aliases) checkIndicator(alias, s.indicators[alias]!, ["indicators", alias], ctx);
  checkTree(s.entry, ["entry"], s, ctx);
  if (s.exit !== undefined) checkTree(s.exit, ["exit"], s, ctx);
  if (s.rankBy !== undefined) checkOperand(s.rankBy, ["rankBy"], s, ctx);
}

function checkIndicator(alias: string, req: RuleIndicator, path: Path, ctx: Ctx): void {
  if ((PRICE_FIELDS as readonly string[]).includes(alias)) {
    ctx.addIssue({ code: "custom", path, message: `alias "${alias}" is a price field name; choose another (reserved: ${list(PRICE_FIELDS)})` });
  } else if (!ALIAS_RE.test(alias)) {
    ctx.addIssue({ code: "custom", path, message: `alias "${alias}" must start with a letter or _ and hold only letters, digits and _ (at most 32)` });
  }
  const spec = INDICATOR_SPECS[req.name];
  for (const key of Object.keys(req)) {
    if (key === "name" || spec.params.includes(key)) continue;
    const takes = spec.params.length === 0 ? "takes no parameters" : `takes ${list(spec.params)}`;
    ctx.addIssue({ code: "custom", path: [...path, key], message: `${req.name} has no parameter "${key}" (it ${takes})` });
  }
  if (req.name === "macd") {
    const fast = req.fast ?? 12;
    const slow = req.slow ?? 26;
    if (fast >= slow) {
      ctx.addIssue({ code: "custom", path: [...path, req.fast !== undefined ? "fast" : "slow"], message: `MACD needs fast < slow (got fast ${fast}, slow ${slow}); the defaults are 12 and 26` });
    }
  }
}

function checkTree(root: Condition, rootPath: Path, s: RulesStrategyConfig, ctx: Ctx): void {
  let comparisons = 0;
  let deepest = 0;
  // Reads the tree as possibly malformed: a condition whose shape check failed (say, a
  // comparison without "right") still reaches this refinement, as that issue does not abort.
  const visit = (c: Partial<Record<"all" | "any" | "not" | "left" | "op" | "right", unknown>>, path: Path, depth: number): void => {
    deepest = Math.max(deepest, depth);
    for (const key of ["all", "any"] as const) {
      const children = c[key];
      if (Array.isArray(children)) children.forEach((child: typeof c, i) => visit(child, [...path, key, i], depth + 1));
    }
    if (typeof c.not === "object" && c.not !== null) visit(c.not, [...path, "not"], depth + 1);
    if (c.op !== undefined) comparisons++;
    for (const side of ["left", "right"] as const) {
      const operand = c[side];
      if (typeof operand === "string" || typeof operand === "number") checkOperand(operand, [...path, side], s, ctx);
    }
  };
  visit(root as Parameters<typeof visit>[0], rootPath, 0);
  if (comparisons > MAX_COMPARISONS) {
    ctx.addIssue({ code: "custom", path: rootPath, message: `at most ${MAX_COMPARISONS} comparisons per condition (got ${comparisons})` });
  }
  if (deepest > MAX_CONDITION_DEPTH) {
    ctx.addIssue({ code: "custom", path: rootPath, message: `conditions nest at most ${MAX_CONDITION_DEPTH} levels deep (got ${deepest})` });
  }
}

function checkOperand(op: Operand, path: Path, s: RulesStrategyConfig, ctx: Ctx): void {
  // A malformed string already has its own issue from the operand schema.
  if (typeof op === "number" || !OPERAND_RE.test(op)) return;
  const problem = operandProblem(op, s.indicators);
  if (problem !== null) ctx.addIssue({ code: "custom", path, message: problem });
}

/** Why a string operand does not resolve against the declared aliases, or null when it does. */
export function operandProblem(op: string, indicators: Record<string, RuleIndicator>): string | null {
  const [alias, output] = op.split(".") as [string, string | undefined];
  if ((PRICE_FIELDS as readonly string[]).includes(alias)) {
    return output === undefined ? null : `"${op}": ${alias} is a price field and has no outputs`;
  }
  const req = indicators[alias];
  if (req === undefined) {
    const declared = Object.keys(indicators);
    const hint = (INDICATOR_NAMES as readonly string[]).includes(alias)
      ? `; "${alias}" is an indicator name, not an alias: declare it under indicators, e.g. "${alias}": {"name": "${alias}"}`
      : "";
    const known = declared.length === 0 ? "no indicators are declared" : `declared: ${list(declared)}`;
    return `unknown indicator alias "${alias}" (${known}; price fields: ${list(PRICE_FIELDS)})${hint}`;
  }
  const spec = INDICATOR_SPECS[req.name];
  if (output !== undefined && !spec.outputs.includes(output)) {
    return `"${op}": ${req.name} has no output "${output}" (its outputs: ${list(spec.outputs)})`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Validation entry point

/** "entry.all[0].right" from a zod path. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out === "" ? "(strategy)" : out;
}

/** Nesting depth of a JSON value, without recursion (the input may be adversarial). */
function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    deepest = Math.max(deepest, d);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/**
 * Parses and checks a rules strategy; throws ArgusError("INVALID_INPUT") naming each
 * problem's JSON path (prefixed with `pathPrefix`, "strategy" by default) and the choices.
 */
export function validateRulesStrategy(input: unknown, pathPrefix = "strategy"): RulesStrategyConfig {
  if (jsonDepth(input, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ArgusError("INVALID_INPUT", `Invalid rules strategy — ${pathPrefix || "(strategy)"}: nested more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  const parsed = rulesStrategySchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 8).map((i) => `${formatPath(pathPrefix, i.path)}: ${i.message}`);
    throw new ArgusError("INVALID_INPUT", `Invalid rules strategy — ${problems.join("; ")}.`, { problems });
  }
  return parsed.data;
}
