import {
  AdxStream,
  AtrStream,
  BollingerStream,
  EmaStream,
  INDICATOR_WARMUP,
  MacdStream,
  ObvStream,
  RocStream,
  RsiStream,
  SmaStream,
  StochasticStream,
  VwapStream,
} from "../../analysis/indicators/index.js";
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../../data/bar.js";
import { dayNumber } from "../../data/calendar/dates.js";
import { exchangeZone } from "../../data/calendar/zone.js";
import {
  INDICATOR_SPECS,
  operandProblem,
  PRICE_FIELDS,
  type ComparisonOperator,
  type Condition,
  type Operand,
  type RuleIndicator,
  type RulesStrategyConfig,
} from "./rules-schema.js";
import { sizeEntry } from "./sizing.js";
import type { OrderPlan, StepView, Strategy } from "./types.js";

/**
 * Evaluates a validated rules strategy bar by bar.
 *
 * Each universe symbol keeps streaming indicator state (the *Stream classes, O(1) per bar,
 * bit-identical to the batch functions), fed only by `warm` and by `view.newBars`: the
 * strategy cannot look ahead because it never holds a bar it was not given. Every step
 * updates the indicators; the entry/exit rules run only on rebalance steps, and only for
 * symbols with a new bar at that step.
 *
 * Values live in flat per-symbol arrays ("slots": the five price fields, then each output
 * of each alias, then the sizing ATR), one for the current bar and one for the previous
 * bar, so crosses_above / crosses_below compare with the previous BAR (not the previous
 * rebalance step) and operand lookups are array reads.
 */

/** Writes one bar's outputs of an indicator into `out` from slot `at` on. */
type Feeder = (bar: Bar, session: number, out: Float64Array, at: number) => void;

interface IndicatorSetup {
  /** The catalog's key, e.g. "sma(20)", "macd(12,26,9)": what reasons show. */
  key: string;
  warmup: number;
  /** A fresh stream for one symbol. */
  open: () => Feeder;
}

/** Writes a multi-output value in the order of INDICATOR_SPECS[name].outputs. */
function writeAll(v: object, outputs: readonly string[], out: Float64Array, at: number): void {
  const rec = v as Record<string, number>;
  for (let i = 0; i < outputs.length; i++) out[at + i] = rec[outputs[i]!]!;
}

/** The single-period indicators of the close, with the catalog's default periods. */
const CLOSE_STREAMS: Record<"sma" | "ema" | "rsi" | "roc", { period: number; make: (p: number) => { next(v: number): number } }> = {
  sma: { period: 20, make: (p) => new SmaStream(p) },
  ema: { period: 20, make: (p) => new EmaStream(p) },
  rsi: { period: 14, make: (p) => new RsiStream(p) },
  roc: { period: 12, make: (p) => new RocStream(p) },
};

/** Parameters with the catalog's defaults, the key, the warm-up and the stream. */
function setupIndicator(req: RuleIndicator): IndicatorSetup {
  const outputs = INDICATOR_SPECS[req.name].outputs;
  switch (req.name) {
    case "sma":
    case "ema":
    case "rsi":
    case "roc": {
      // One period, fed the close: only the default period and the stream class differ.
      const single = CLOSE_STREAMS[req.name];
      const p = req.period ?? single.period;
      return {
        key: `${req.name}(${p})`,
        warmup: INDICATOR_WARMUP[req.name](p),
        open: () => {
          const s = single.make(p);
          return (b, _k, out, at) => void (out[at] = s.next(b.close));
        },
      };
    }
    case "atr": {
      const p = req.period ?? 14;
      return {
        key: `atr(${p})`,
        warmup: INDICATOR_WARMUP.atr(p),
        open: () => {
          const s = new AtrStream(p);
          return (b, _k, out, at) => void (out[at] = s.next(b.high, b.low, b.close));
        },
      };
    }
    case "vwap":
      return {
        key: "vwap(session)",
        warmup: INDICATOR_WARMUP.vwap(),
        open: () => {
          const s = new VwapStream();
          return (b, session, out, at) => void (out[at] = s.next(b.high, b.low, b.close, b.volume, session));
        },
      };
    case "obv":
      return {
        key: "obv",
        warmup: INDICATOR_WARMUP.obv(),
        open: () => {
          const s = new ObvStream();
          return (b, _k, out, at) => void (out[at] = s.next(b.close, b.volume));
        },
      };
    case "macd": {
      const f = req.fast ?? 12;
      const sl = req.slow ?? 26;
      const g = req.signal ?? 9;
      return {
        key: `macd(${f},${sl},${g})`,
        warmup: INDICATOR_WARMUP.macd(f, sl, g),
        open: () => {
          const s = new MacdStream(f, sl, g);
          return (b, _k, out, at) => writeAll(s.next(b.close), outputs, out, at);
        },
      };
    }
    case "bollinger": {
      const p = req.period ?? 20;
      const k = req.stdDev ?? 2;
      return {
        key: `bollinger(${p},${k})`,
        warmup: INDICATOR_WARMUP.bollinger(p),
        open: () => {
          const s = new BollingerStream(p, k);
          return (b, _k, out, at) => writeAll(s.next(b.close), outputs, out, at);
        },
      };
    }
    case "stochastic": {
      const p = req.period ?? 14;
      const d = req.signal ?? 3;
      return {
        key: `stochastic(${p},${d})`,
        warmup: INDICATOR_WARMUP.stochastic(p, d),
        open: () => {
          const s = new StochasticStream(p, d);
          return (b, _k, out, at) => writeAll(s.next(b.high, b.low, b.close), outputs, out, at);
        },
      };
    }
    case "adx": {
      const p = req.period ?? 14;
      return {
        key: `adx(${p})`,
        warmup: INDICATOR_WARMUP.adx(p),
        open: () => {
          const s = new AdxStream(p);
          return (b, _k, out, at) => writeAll(s.next(b.high, b.low, b.close), outputs, out, at);
        },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------
// Compiled rules

type CompiledOperand = { kind: "const"; value: number; label: string } | { kind: "slot"; slot: number; label: string };

type Compiled =
  | { kind: "all" | "any"; children: Compiled[] }
  | { kind: "not"; child: Compiled }
  | { kind: "cmp"; left: CompiledOperand; op: ComparisonOperator; right: CompiledOperand };

const OP_TEXT: Record<ComparisonOperator, string> = {
  ">": ">",
  ">=": ">=",
  "<": "<",
  "<=": "<=",
  crosses_above: "crosses above",
  crosses_below: "crosses below",
};

/** Indicator values for reasons: two decimals for prices, more digits for small values. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "n/a";
  const a = Math.abs(v);
  if (a >= 1e5) return Math.round(v).toString();
  if (a >= 1 || a === 0) return v.toFixed(2);
  return v.toPrecision(3);
}

/** Per-symbol indicator state: the current and previous bar's slot values. */
class SymbolState {
  cur: Float64Array;
  prev: Float64Array;
  bars = 0;
  constructor(
    size: number,
    readonly feeders: { feed: Feeder; at: number }[],
  ) {
    this.cur = new Float64Array(size).fill(Number.NaN);
    this.prev = new Float64Array(size).fill(Number.NaN);
  }
}

export interface RulesStrategyOptions {
  /**
   * Session key of a bar time, for VWAP (bars with the same key are one session). Default:
   * the New York calendar day number of the instant, as the AnalysisEngine uses.
   */
  sessionKey?: (t: number) => number;
}

/** One skipped entry of the last step, with why (for reports and tests). */
export interface SkippedEntry {
  symbol: string;
  why: string;
}

const defaultSessionKey = (t: number): number => dayNumber(exchangeZone.dateOf(t));

export class RulesStrategy implements Strategy {
  readonly name: string;
  readonly warmupBars: number;
  /** Entries that qualified at the last rebalance step but were not planned, and why. */
  skipped: SkippedEntry[] = [];

  private readonly universe: readonly string[];
  private readonly sessionKey: (t: number) => number;
  /** alias → its first slot, the number of outputs and the setup (stream factory, key). */
  private readonly indicators: { alias: string; at: number; setup: IndicatorSetup }[] = [];
  private readonly slotCount: number;
  /** Slot of the ATR used by atr_risk sizing, or -1. */
  private readonly sizingAtrSlot: number = -1;
  private readonly sizingAtrPeriod: number = 0;
  private readonly entry: Compiled;
  private readonly exit: Compiled | null;
  private readonly rankBy: CompiledOperand | null;
  private readonly states = new Map<string, SymbolState>();

  /** Validates `input` (throwing INVALID_INPUT with JSON paths) and builds the strategy. */
  constructor(
    private readonly rules: RulesStrategyConfig,
    universe: readonly string[],
    opts: RulesStrategyOptions = {},
  ) {
    this.name = rules.name ? `rules:${rules.name}` : "rules";
    this.universe = [...new Set(universe)];
    this.sessionKey = opts.sessionKey ?? defaultSessionKey;

    let slot = PRICE_FIELDS.length;
    for (const [alias, req] of Object.entries(rules.indicators)) {
      this.indicators.push({ alias, at: slot, setup: setupIndicator(req) });
      slot += INDICATOR_SPECS[req.name].outputs.length;
    }
    if (rules.sizing.kind === "atr_risk") {
      this.sizingAtrSlot = slot++;
      this.sizingAtrPeriod = rules.sizing.atrPeriod;
    }
    this.slotCount = slot;

    this.entry = this.compile(rules.entry);
    this.exit = rules.exit === undefined ? null : this.compile(rules.exit);
    this.rankBy = rules.rankBy === undefined ? null : this.operand(rules.rankBy);

    // Bars before the first step so that every declared value is defined on it: warm-up w
    // is the index of the first value, so w bars before the step suffice; a cross also
    // reads the previous bar's value (one more); atr_risk needs its ATR.
    const crosses = [rules.entry, rules.exit].some((c) => c !== undefined && usesCross(c));
    const indicatorWarmup = Math.max(0, ...this.indicators.map((i) => i.setup.warmup));
    const atrWarmup = this.sizingAtrSlot >= 0 ? INDICATOR_WARMUP.atr(this.sizingAtrPeriod) : 0;
    this.warmupBars = Math.max(indicatorWarmup + (crosses ? 1 : 0), atrWarmup);
  }

  warm(symbol: string, bars: readonly Bar[]): void {
    const state = this.stateOf(symbol);
    if (!state) return;
    for (const bar of bars) this.feed(state, bar);
  }

  onStep(view: StepView): OrderPlan[] {
    for (const symbol of this.universe) {
      const bar = view.newBars.get(symbol);
      const state = bar && this.stateOf(symbol);
      if (bar && state) this.feed(state, bar);
    }
    if (!view.rebalance) return [];
    this.skipped = [];

    const exits: OrderPlan[] = [];
    const candidates: { symbol: string; order: number; rank: number; close: number; state: SymbolState }[] = [];
    this.universe.forEach((symbol, order) => {
      const bar = view.newBars.get(symbol);
      const state = this.states.get(symbol);
      if (!bar || !state) return; // no new bar: nothing new to decide on
      const held = view.positions.get(symbol);
      if (held && held.qty > 0) {
        if (this.exit && evaluate(this.exit, state)) {
          exits.push({ symbol, side: "sell", qty: held.qty, reason: `exit: ${explain(this.exit, state)}` });
        }
      } else if (evaluate(this.entry, state)) {
        const rank = this.rankBy ? read(this.rankBy, state.cur) : 0;
        candidates.push({ symbol, order, rank: Number.isNaN(rank) ? -Infinity : rank, close: bar.close, state });
      }
    });

    // Higher rank first; equal ranks (and no rankBy) keep universe order.
    candidates.sort((a, b) => (b.rank !== a.rank ? b.rank - a.rank : a.order - b.order));
    const sizing = this.rules.sizing;
    const held = [...view.positions.values()].filter((p) => p.qty > 0).length;
    let freeSlots = sizing.kind === "equal_weight" ? sizing.slots - held : Infinity;
    // Sells free no cash and no slot until they fill, so entries use only what is free now.
    let cash = view.cash;
    const entries: OrderPlan[] = [];
    for (const c of candidates) {
      if (freeSlots <= 0) {
        this.skipped.push({ symbol: c.symbol, why: "every equal-weight slot is taken (held or planned)" });
        continue;
      }
      const atr = this.sizingAtrSlot >= 0 ? c.state.cur[this.sizingAtrSlot]! : null;
      const size = sizeEntry(sizing, { equity: view.equity, cash, close: c.close, atr });
      if ("why" in size) {
        this.skipped.push({ symbol: c.symbol, why: size.why });
        continue;
      }
      entries.push({
        symbol: c.symbol,
        side: "buy",
        qty: size.qty,
        reason: `entry: ${explain(this.entry, c.state)}`,
        ...(size.stopLoss !== undefined ? { stopLoss: size.stopLoss } : {}),
      });
      cash -= size.qty * c.close;
      freeSlots--;
    }
    return [...exits, ...entries];
  }

  /**
   * The values a symbol's rules see now, by operand name ("close", "fast", "bb.lower"; an
   * alias alone is its primary output), or undefined for a symbol outside the universe.
   */
  values(symbol: string): Record<string, number> | undefined {
    const state = this.states.get(symbol);
    if (!state) return this.universe.includes(symbol) ? this.valuesOf(new Float64Array(this.slotCount).fill(Number.NaN)) : undefined;
    return this.valuesOf(state.cur);
  }

  private valuesOf(cur: Float64Array): Record<string, number> {
    const out: Record<string, number> = {};
    PRICE_FIELDS.forEach((f, i) => (out[f] = cur[i]!));
    for (const ind of this.indicators) {
      const spec = INDICATOR_SPECS[this.rules.indicators[ind.alias]!.name];
      spec.outputs.forEach((o, i) => {
        out[`${ind.alias}.${o}`] = cur[ind.at + i]!;
        if (o === spec.primary) out[ind.alias] = cur[ind.at + i]!;
      });
    }
    return out;
  }

  private stateOf(symbol: string): SymbolState | undefined {
    let state = this.states.get(symbol);
    if (!state && this.universe.includes(symbol)) {
      state = new SymbolState(
        this.slotCount,
        this.indicators.map((i) => ({ feed: i.setup.open(), at: i.at })),
      );
      if (this.sizingAtrSlot >= 0) {
        const atr = new AtrStream(this.sizingAtrPeriod);
        state.feeders.push({ feed: (b, _k, out, at) => void (out[at] = atr.next(b.high, b.low, b.close)), at: this.sizingAtrSlot });
      }
      this.states.set(symbol, state);
    }
    return state;
  }

  private feed(state: SymbolState, bar: Bar): void {
    // Every slot is rewritten below, so the old "prev" array can be reused for the new bar.
    const next = state.prev;
    state.prev = state.cur;
    state.cur = next;
    next[0] = bar.open;
    next[1] = bar.high;
    next[2] = bar.low;
    next[3] = bar.close;
    next[4] = bar.volume;
    const session = this.sessionKey(bar.t);
    for (const f of state.feeders) f.feed(bar, session, next, f.at);
    state.bars++;
  }

  private compile(c: Condition): Compiled {
    if ("all" in c) return { kind: "all", children: c.all.map((x) => this.compile(x)) };
    if ("any" in c) return { kind: "any", children: c.any.map((x) => this.compile(x)) };
    if ("not" in c) return { kind: "not", child: this.compile(c.not) };
    return { kind: "cmp", left: this.operand(c.left), op: c.op, right: this.operand(c.right) };
  }

  private operand(op: Operand): CompiledOperand {
    if (typeof op === "number") return { kind: "const", value: op, label: String(op) };
    // Validation already rejects these; a config built by hand gets the same message.
    const problem = operandProblem(op, this.rules.indicators);
    if (problem !== null) throw new ArgusError("INVALID_INPUT", `Invalid rules strategy — ${problem}.`);
    const [alias, output] = op.split(".") as [string, string | undefined];
    const field = (PRICE_FIELDS as readonly string[]).indexOf(alias);
    if (field >= 0) return { kind: "slot", slot: field, label: alias };
    const ind = this.indicators.find((i) => i.alias === alias)!;
    const spec = INDICATOR_SPECS[this.rules.indicators[alias]!.name];
    const out = output ?? spec.primary;
    // Single-output indicators read as their key alone ("sma(20)"); others name the output.
    const label = spec.outputs.length === 1 ? ind.setup.key : `${ind.setup.key}.${out}`;
    return { kind: "slot", slot: ind.at + spec.outputs.indexOf(out), label };
  }
}

function usesCross(c: Condition): boolean {
  if ("all" in c) return c.all.some(usesCross);
  if ("any" in c) return c.any.some(usesCross);
  if ("not" in c) return usesCross(c.not);
  return c.op === "crosses_above" || c.op === "crosses_below";
}

function read(o: CompiledOperand, values: Float64Array): number {
  return o.kind === "const" ? o.value : values[o.slot]!;
}

/** Any NaN operand (warm-up) makes a comparison false: every comparison with NaN is false. */
function compare(c: Extract<Compiled, { kind: "cmp" }>, s: SymbolState): boolean {
  const l = read(c.left, s.cur);
  const r = read(c.right, s.cur);
  switch (c.op) {
    case ">":
      return l > r;
    case ">=":
      return l >= r;
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case "crosses_above":
      return read(c.left, s.prev) <= read(c.right, s.prev) && l > r;
    case "crosses_below":
      return read(c.left, s.prev) >= read(c.right, s.prev) && l < r;
  }
}

function evaluate(c: Compiled, s: SymbolState): boolean {
  switch (c.kind) {
    case "all":
      return c.children.every((x) => evaluate(x, s));
    case "any":
      return c.children.some((x) => evaluate(x, s));
    case "not":
      return !evaluate(c.child, s);
    case "cmp":
      return compare(c, s);
  }
}

function renderOperand(o: CompiledOperand, s: SymbolState): string {
  return o.kind === "const" ? o.label : `${o.label} ${formatValue(s.cur[o.slot]!)}`;
}

/** A condition with the current values, true or not ("close 31.20 > 5 and …"). */
function render(c: Compiled, s: SymbolState): string {
  switch (c.kind) {
    case "cmp":
      return `${renderOperand(c.left, s)} ${OP_TEXT[c.op]} ${renderOperand(c.right, s)}`;
    case "not":
      return `not (${render(c.child, s)})`;
    case "all":
    case "any":
      return c.children.map((x) => nested(x, render(x, s))).join(c.kind === "all" ? " and " : " or ");
  }
}

/** Why a TRUE condition holds: like render, but an `any` shows only its true branches. */
function explain(c: Compiled, s: SymbolState): string {
  switch (c.kind) {
    case "any":
      return c.children
        .filter((x) => evaluate(x, s))
        .map((x) => nested(x, explain(x, s)))
        .join(" or ");
    case "all":
      return c.children.map((x) => nested(x, explain(x, s))).join(" and ");
    default:
      return render(c, s);
  }
}

/** Parentheses around a nested all/any with more than one part, so and/or read unambiguously. */
function nested(c: Compiled, text: string): string {
  return (c.kind === "all" || c.kind === "any") && c.children.length > 1 ? `(${text})` : text;
}
