import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ArgusError } from "../../core/errors.js";
import { MAX_COMPARISONS, MAX_CONDITION_DEPTH, rulesStrategySchema, sizingSchema, validateRulesStrategy } from "./rules-schema.js";

/** The example of the design brief, with the ranking indicator declared (an undeclared "roc" is an error). */
const example = {
  kind: "rules",
  name: "sma-cross",
  indicators: {
    fast: { name: "sma", period: 20 },
    slow: { name: "sma", period: 50 },
    bb: { name: "bollinger", period: 20, stdDev: 2 },
    roc: { name: "roc" },
  },
  entry: {
    all: [
      { left: "fast", op: "crosses_above", right: "slow" },
      { left: "close", op: ">", right: 5 },
    ],
  },
  exit: {
    any: [
      { left: "fast", op: "crosses_below", right: "slow" },
      { left: "close", op: "<", right: "bb.lower" },
    ],
  },
  rankBy: "roc",
  sizing: { kind: "equal_weight", slots: 10 },
  rebalance: "daily",
};

type Json = Record<string, unknown>;
const withChange = (change: Json): Json => ({ ...structuredClone(example), ...change });

/** The INVALID_INPUT message for `input` (fails the test when it validates). */
function messageOf(input: unknown): string {
  try {
    validateRulesStrategy(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ArgusError);
    expect((err as ArgusError).code).toBe("INVALID_INPUT");
    return (err as ArgusError).message;
  }
  throw new Error("expected INVALID_INPUT, but the strategy validated");
}

describe("rulesStrategySchema: valid input", () => {
  it("parses the example unchanged", () => {
    expect(validateRulesStrategy(example)).toEqual(example);
  });

  it("fills defaults: no indicators, equal weight over 10 slots, daily", () => {
    const s = validateRulesStrategy({ kind: "rules", entry: { left: "close", op: ">", right: "open" } });
    expect(s.indicators).toEqual({});
    expect(s.sizing).toEqual({ kind: "equal_weight", slots: 10 });
    expect(s.rebalance).toBe("daily");
    expect(s.exit).toBeUndefined();
  });

  it("accepts not, nested all/any, multi-output aliases with and without .output", () => {
    const s = validateRulesStrategy({
      kind: "rules",
      indicators: { m: { name: "macd", fast: 5, slow: 10, signal: 3 }, st: { name: "stochastic", period: 5, signal: 3 }, a: { name: "adx" } },
      entry: { all: [{ not: { left: "m.histogram", op: "<", right: 0 } }, { any: [{ left: "st", op: "crosses_above", right: "st.d" }, { left: "a", op: ">=", right: "a.plusDI" }] }] },
      rebalance: "weekly",
    });
    expect(s.rebalance).toBe("weekly");
  });

  it("fills atr_risk defaults (period 14, multiple 2)", () => {
    expect(sizingSchema.parse({ kind: "atr_risk", riskPct: 0.01 })).toEqual({ kind: "atr_risk", riskPct: 0.01, atrPeriod: 14, atrMultiple: 2 });
  });

  it("serves as a discriminated-union member and converts to a described JSON Schema", () => {
    const union = z.discriminatedUnion("kind", [rulesStrategySchema, z.object({ kind: z.literal("null") }).strict()]);
    expect(union.parse(example)).toEqual(example);
    const json = JSON.stringify(z.toJSONSchema(rulesStrategySchema, { io: "input", target: "draft-7", unrepresentable: "any" }));
    expect(json).toContain("crosses_above");
    expect(json).toContain("primary output");
    expect(json).toContain("atr_risk");
  });
});

describe("rulesStrategySchema: rejected before any run, with path and choices", () => {
  it("unknown indicator name lists the known ones", () => {
    const msg = messageOf(withChange({ indicators: { ...example.indicators, fast: { name: "smaa", period: 20 } } }));
    expect(msg).toContain('strategy.indicators.fast.name: unknown indicator "smaa"');
    expect(msg).toContain("known: sma, ema, rsi, macd, bollinger, atr, vwap, obv, roc, stochastic, adx");
  });

  it("an undeclared alias names itself and the declared aliases", () => {
    const msg = messageOf(withChange({ entry: { all: [{ left: "fast", op: "crosses_above", right: "slo" }] } }));
    expect(msg).toContain('strategy.entry.all[0].right: unknown indicator alias "slo" (declared: fast, slow, bb, roc');
  });

  it("an indicator name used as an alias says to declare it", () => {
    const msg = messageOf(withChange({ rankBy: "rsi" }));
    expect(msg).toContain('strategy.rankBy: unknown indicator alias "rsi"');
    expect(msg).toContain('declare it under indicators, e.g. "rsi": {"name": "rsi"}');
  });

  it("references with no indicators declared say so", () => {
    const msg = messageOf({ kind: "rules", entry: { left: "fast", op: ">", right: 1 } });
    expect(msg).toContain('strategy.entry.left: unknown indicator alias "fast" (no indicators are declared');
  });

  it("an output the indicator does not have lists its outputs", () => {
    const msg = messageOf(withChange({ exit: { left: "close", op: "<", right: "bb.low" } }));
    expect(msg).toContain('strategy.exit.right: "bb.low": bollinger has no output "low" (its outputs: middle, upper, lower, percentB, bandwidth)');
    expect(messageOf(withChange({ exit: { left: "close.x", op: "<", right: 1 } }))).toContain("close is a price field and has no outputs");
  });

  it("an alias that collides with a price field", () => {
    const msg = messageOf(withChange({ indicators: { close: { name: "sma", period: 3 } }, entry: { left: "close", op: ">", right: 1 }, exit: undefined, rankBy: undefined }));
    expect(msg).toContain('strategy.indicators.close: alias "close" is a price field name; choose another (reserved: open, high, low, close, volume)');
  });

  it("MACD with fast ≥ slow (defaults included)", () => {
    const msg = messageOf(withChange({ indicators: { ...example.indicators, m: { name: "macd", fast: 30 } } }));
    expect(msg).toContain("strategy.indicators.m.fast: MACD needs fast < slow (got fast 30, slow 26)");
  });

  it("a parameter the indicator does not take, and a misspelt one", () => {
    expect(messageOf(withChange({ indicators: { ...example.indicators, fast: { name: "sma", fast: 5 } } }))).toContain(
      'strategy.indicators.fast.fast: sma has no parameter "fast" (it takes period)',
    );
    expect(messageOf(withChange({ indicators: { ...example.indicators, fast: { name: "sma", perod: 5 } } }))).toContain('strategy.indicators.fast: Unrecognized key: "perod"');
  });

  it("invalid parameter values", () => {
    expect(messageOf(withChange({ indicators: { ...example.indicators, fast: { name: "sma", period: 0 } } }))).toContain("strategy.indicators.fast.period");
    expect(messageOf(withChange({ sizing: { kind: "percent_equity", pct: 1.5 } }))).toContain("strategy.sizing.pct");
    expect(messageOf(withChange({ sizing: { kind: "equal_weight", slots: 2.5 } }))).toContain("strategy.sizing.slots");
    expect(messageOf(withChange({ sizing: { kind: "kelly" } }))).toContain("strategy.sizing.kind");
  });

  it("typos in keys are caught (strict objects)", () => {
    expect(messageOf(withChange({ entyr: example.entry }))).toContain('Unrecognized key: "entyr"');
    expect(messageOf(withChange({ entry: { left: "close", op: ">", rigth: 5 } }))).toContain("strategy.entry");
  });

  it("a bad operator, a bad operand, an incomplete comparison, a mixed condition", () => {
    expect(messageOf(withChange({ entry: { left: "close", op: "crosses", right: 5 } }))).toMatch(/strategy\.entry\.op: .*"crosses_above"/);
    expect(messageOf(withChange({ entry: { left: "close", op: ">", right: "bb lower" } }))).toContain('strategy.entry.right: an operand string is a price field ("open"');
    expect(messageOf(withChange({ entry: { left: "close", op: ">", right: true } }))).toContain('strategy.entry.right: an operand is a number, a price field');
    expect(messageOf(withChange({ entry: { all: [{ left: "close", op: ">" }] } }))).toContain("strategy.entry.all[0]: a comparison needs left, op and right (missing: right)");
    expect(messageOf(withChange({ entry: { all: [], left: "close" } }))).toContain("strategy.entry.all");
    expect(messageOf(withChange({ entry: { not: { left: "close", op: ">", right: 1 }, left: "close" } }))).toContain("a condition is exactly one of");
    expect(messageOf(withChange({ entry: {} }))).toContain("strategy.entry: a condition is exactly one of");
    expect(messageOf(withChange({ rebalance: "hourly" }))).toContain("strategy.rebalance");
  });

  it("bounds the tree: comparisons, nesting depth, and absurd JSON depth", () => {
    const cmp = { left: "close", op: ">", right: 1 };
    const many = { all: [{ all: Array(MAX_COMPARISONS).fill(cmp) }, cmp] };
    expect(messageOf(withChange({ entry: many }))).toContain(`strategy.entry: at most ${MAX_COMPARISONS} comparisons per condition (got ${MAX_COMPARISONS + 1})`);

    let deep: Json = cmp;
    for (let i = 0; i <= MAX_CONDITION_DEPTH; i++) deep = { not: deep };
    expect(messageOf(withChange({ entry: deep }))).toContain(`strategy.entry: conditions nest at most ${MAX_CONDITION_DEPTH} levels deep (got ${MAX_CONDITION_DEPTH + 1})`);

    // Deep enough to overflow the stack of a recursive parse: refused up front instead.
    let absurd: Json = cmp;
    for (let i = 0; i < 20_000; i++) absurd = { not: absurd };
    expect(messageOf(withChange({ entry: absurd }))).toContain("nested more than 64 levels deep");
  });

  it("reports every problem found, not only the first", () => {
    const msg = messageOf(
      withChange({
        entry: { all: [{ left: "fsat", op: ">", right: "slow" }] },
        exit: { left: "bb.width", op: "<", right: 1 },
      }),
    );
    expect(msg).toContain('strategy.entry.all[0].left: unknown indicator alias "fsat"');
    expect(msg).toContain('strategy.exit.left: "bb.width": bollinger has no output "width"');
  });
});
