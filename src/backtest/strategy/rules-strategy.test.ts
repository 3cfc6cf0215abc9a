import { describe, expect, it } from "vitest";
import { computeIndicator } from "../../analysis/indicator-catalog.js";
import { atr, bollinger, sma } from "../../analysis/indicators/index.js";
import { toColumns } from "../../analysis/series.js";
import type { Bar } from "../../data/bar.js";
import { dayNumber } from "../../data/calendar/dates.js";
import { exchangeZone } from "../../data/calendar/zone.js";
import { validateRulesStrategy, type RulesStrategyInput } from "./rules-schema.js";
import { formatValue, RulesStrategy } from "./rules-strategy.js";
import { sizeEntry } from "./sizing.js";
import type { HeldPosition, OrderPlan, StepView } from "./types.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2, 5); // midnight New York, 2024-01-02

/** Daily bars with the given closes (open = close, a one-point range, constant volume). */
function barsOf(closes: readonly number[]): Bar[] {
  return closes.map((c, i) => ({ t: T0 + i * DAY, open: c, high: c + 0.5, low: c - 0.5, close: c, volume: 1000 }));
}

function build(input: RulesStrategyInput, universe: string[]): RulesStrategy {
  return new RulesStrategy(validateRulesStrategy(input), universe);
}

function view(bars: Record<string, Bar>, opts: { rebalance?: boolean; cash?: number; equity?: number; positions?: Record<string, number> } = {}): StepView {
  const positions = new Map<string, HeldPosition>(Object.entries(opts.positions ?? {}).map(([s, qty]) => [s, { qty, avgEntryPrice: 0, marketValue: 0 }]));
  const cash = opts.cash ?? 10_000;
  return {
    now: 0,
    date: "2024-01-02",
    newBars: new Map(Object.entries(bars)),
    rebalance: opts.rebalance ?? true,
    positions,
    equity: opts.equity ?? cash,
    cash,
  };
}

/**
 * Replays one symbol from `from` on, filling every order at the step's close at once (a
 * toy broker: the point is which bars the strategy acts on, not fills).
 */
function replay(strategy: RulesStrategy, symbol: string, bars: Bar[], from: number, cash: number, rebalanceAt: (i: number) => boolean = () => true): Map<number, OrderPlan[]> {
  strategy.warm(symbol, bars.slice(0, from));
  const orders = new Map<number, OrderPlan[]>();
  let qty = 0;
  for (let i = from; i < bars.length; i++) {
    const bar = bars[i]!;
    const plans = strategy.onStep(view({ [symbol]: bar }, { rebalance: rebalanceAt(i), cash, equity: cash + qty * bar.close, positions: qty > 0 ? { [symbol]: qty } : {} }));
    if (plans.length > 0) orders.set(i, plans);
    for (const p of plans) {
      qty += p.side === "buy" ? p.qty : -p.qty;
      cash += (p.side === "buy" ? -1 : 1) * p.qty * bar.close;
    }
  }
  return orders;
}

// sma(3) crosses above sma(5) at bars 5→12 and 27, below at 5 (flat, nothing held) and 20.
const CLOSES = [10, 10, 10, 10, 10, 9, 8, 7, 6, 5, 6, 7, 8, 9, 10, 11, 12, 13, 12, 11, 10, 9, 8, 7, 6, 7, 8, 9, 10, 11];
const SMA_CROSS: RulesStrategyInput = {
  kind: "rules",
  name: "sma-cross",
  indicators: { fast: { name: "sma", period: 3 }, slow: { name: "sma", period: 5 } },
  entry: { left: "fast", op: "crosses_above", right: "slow" },
  exit: { left: "fast", op: "crosses_below", right: "slow" },
  sizing: { kind: "equal_weight", slots: 1 },
};

describe("RulesStrategy: sma(3)/sma(5) cross on a hand-made series", () => {
  const bars = barsOf(CLOSES);
  const closes = Float64Array.from(CLOSES);
  const fast = sma(closes, 3);
  const slow = sma(closes, 5);

  it("needs 4 bars of sma(5) warm-up plus one for the cross", () => {
    const s = build(SMA_CROSS, ["AAA"]);
    expect(s.warmupBars).toBe(5);
    expect(s.name).toBe("rules:sma-cross");
  });

  it("enters and exits on exactly the crossing bars, sized from equity", () => {
    const orders = replay(build(SMA_CROSS, ["AAA"]), "AAA", bars, 5, 1000);
    expect([...orders.keys()]).toEqual([12, 20, 27]);
    // 1000 / 8 → 125 shares; sold at 10 → 1250 cash; 1250 / 9 → 138 shares.
    expect(orders.get(12)).toEqual([{ symbol: "AAA", side: "buy", qty: 125, reason: "entry: sma(3) 7.00 crosses above sma(5) 6.40" }]);
    expect(orders.get(20)).toEqual([{ symbol: "AAA", side: "sell", qty: 125, reason: "exit: sma(3) 11.00 crosses below sma(5) 11.60" }]);
    expect(orders.get(27)!.map((o) => [o.side, o.qty])).toEqual([["buy", 138]]);
  });

  it("reasons carry the batch sma() values of that bar", () => {
    const orders = replay(build(SMA_CROSS, ["AAA"]), "AAA", bars, 5, 1000);
    for (const [i, plans] of orders) {
      const words = plans[0]!.side === "buy" ? "crosses above" : "crosses below";
      expect(plans[0]!.reason).toBe(`${plans[0]!.side === "buy" ? "entry" : "exit"}: sma(3) ${formatValue(fast[i]!)} ${words} sma(5) ${formatValue(slow[i]!)}`);
    }
  });

  it("rebalance=false steps produce no orders but still update the indicators", () => {
    const s = build(SMA_CROSS, ["AAA"]);
    expect(replay(s, "AAA", bars, 5, 1000, () => false).size).toBe(0);
    expect(s.values("AAA")!.fast).toBe(fast[29]);
    expect(s.values("AAA")!.slow).toBe(slow[29]);
  });

  it("crosses are against the previous bar: a cross on a non-rebalance bar is not seen later", () => {
    // Rebalance on even bars: 12 and 20 are evaluated, the cross at 27 is missed.
    const orders = replay(build(SMA_CROSS, ["AAA"]), "AAA", bars, 5, 1000, (i) => i % 2 === 0);
    expect([...orders.keys()]).toEqual([12, 20]);
  });

  it("is deterministic", () => {
    const a = replay(build(SMA_CROSS, ["AAA"]), "AAA", bars, 5, 1000);
    const b = replay(build(SMA_CROSS, ["AAA"]), "AAA", bars, 5, 1000);
    expect([...a]).toEqual([...b]);
  });

  it("a symbol without a new bar is not evaluated at that step", () => {
    const s = build({ ...SMA_CROSS, sizing: { kind: "fixed_shares", shares: 10 } }, ["AAA", "BBB"]);
    s.warm("AAA", bars.slice(0, 5));
    s.warm("BBB", bars.slice(0, 5));
    const seen: Record<number, string[]> = {};
    for (let i = 5; i <= 13; i++) {
      // BBB has no bar 12 (a halt): its sma sees bars …, 11, 13.
      const stepBars: Record<string, Bar> = i === 12 ? { AAA: bars[i]! } : { AAA: bars[i]!, BBB: bars[i]! };
      seen[i] = s.onStep(view(stepBars, { positions: {} })).map((o) => o.symbol);
    }
    expect(seen[12]).toEqual(["AAA"]);
    // BBB: sma(3) over closes 6, 7, 9 = 7.33 > sma(5) over 6, 5, 6, 7, 9 = 6.6, from 6.0 ≤ 6.2.
    expect(seen[13]).toEqual(["BBB"]);
  });

  it("renders all / any / not with values; an any shows only the branches that hold", () => {
    const s = build(
      {
        kind: "rules",
        indicators: { fast: { name: "sma", period: 3 }, slow: { name: "sma", period: 5 }, bb: { name: "bollinger", period: 5, stdDev: 2 } },
        entry: { all: [{ left: "close", op: ">", right: 5 }, { left: "fast", op: "crosses_above", right: "slow" }, { not: { left: "close", op: "<", right: "bb.lower" } }] },
        exit: { any: [{ left: "close", op: "<", right: 0 }, { left: "fast", op: "crosses_below", right: "slow" }] },
        sizing: { kind: "fixed_shares", shares: 1 },
      },
      ["AAA"],
    );
    const orders = replay(s, "AAA", bars, 5, 1000);
    const lower = bollinger(closes, 5, 2).lower;
    expect(orders.get(12)![0]!.reason).toBe(`entry: close 8.00 > 5 and sma(3) 7.00 crosses above sma(5) 6.40 and not (close 8.00 < bollinger(5,2).lower ${formatValue(lower[12]!)})`);
    expect(orders.get(20)![0]!.reason).toBe("exit: sma(3) 11.00 crosses below sma(5) 11.60");
  });
});

describe("RulesStrategy: warm-up", () => {
  it("is the largest indicator warm-up, +1 with crosses, at least the sizing ATR's", () => {
    expect(build({ kind: "rules", indicators: { m: { name: "macd" } }, entry: { left: "m", op: ">", right: 0 } }, ["A"]).warmupBars).toBe(33);
    expect(build({ kind: "rules", indicators: { m: { name: "macd" } }, entry: { left: "m", op: "crosses_above", right: "m.signal" } }, ["A"]).warmupBars).toBe(34);
    expect(build({ kind: "rules", entry: { left: "close", op: ">", right: 1 } }, ["A"]).warmupBars).toBe(0);
    const atrSized: RulesStrategyInput = {
      kind: "rules",
      indicators: { f: { name: "sma", period: 5 } },
      entry: { left: "close", op: ">", right: "f" },
      sizing: { kind: "atr_risk", riskPct: 0.01, atrPeriod: 20 },
    };
    expect(build(atrSized, ["A"]).warmupBars).toBe(19);
  });

  it("no comparison holds while a value is NaN", () => {
    const s = build(SMA_CROSS, ["AAA"]);
    const orders = replay(s, "AAA", barsOf([10, 9, 8, 9, 10, 11, 12]), 0, 1000);
    // The first defined sma(5) is bar 4; its previous is NaN, so the first possible cross is bar 5.
    expect([...orders.keys()].every((i) => i >= 5)).toBe(true);
  });
});

describe("RulesStrategy: ranking, slots and cash", () => {
  const universe = ["A", "B", "C", "D", "E"];
  const momentum: RulesStrategyInput = {
    kind: "rules",
    indicators: { mom: { name: "roc", period: 1 } },
    entry: { left: "close", op: ">", right: 0 },
    exit: { left: "close", op: "<", right: 95 },
    rankBy: "mom",
  };
  // roc(1) from 100: A +1%, B +5%, C +3%, D +5%, E −10%.
  const step = Object.fromEntries(Object.entries({ A: 101, B: 105, C: 103, D: 105, E: 90 }).map(([s, c]) => [s, barsOf([100, c])[1]!]));

  function warmed(input: RulesStrategyInput): RulesStrategy {
    const s = build(input, universe);
    for (const sym of universe) s.warm(sym, barsOf([100]));
    return s;
  }

  it("buys the best-ranked first (ties in universe order) and stops at the free slots", () => {
    const s = warmed({ ...momentum, sizing: { kind: "equal_weight", slots: 3 } });
    const plans = s.onStep(view(step, { cash: 10_000 }));
    // 10 000 / 3 = 3333.33 → 31 at 105, 32 at 103.
    expect(plans.map((p) => [p.symbol, p.side, p.qty])).toEqual([
      ["B", "buy", 31],
      ["D", "buy", 31],
      ["C", "buy", 32],
    ]);
    expect(s.skipped.map((x) => x.symbol)).toEqual(["A", "E"]);
    expect(s.skipped[0]!.why).toContain("slot is taken");
  });

  it("held positions take slots, and a held symbol is not bought again", () => {
    const s = warmed({ ...momentum, sizing: { kind: "equal_weight", slots: 3 } });
    expect(s.onStep(view(step, { positions: { B: 5 } })).map((p) => p.symbol)).toEqual(["D", "C"]);
    const t = warmed({ ...momentum, sizing: { kind: "equal_weight", slots: 3 } });
    expect(t.onStep(view(step, { positions: { ZZZ: 1, YYY: 1, XXX: 1 } }))).toEqual([]);
  });

  it("skips what the remaining cash cannot pay for, and keeps going down the ranking", () => {
    const s = warmed({ ...momentum, sizing: { kind: "fixed_shares", shares: 10 } });
    // B 1050 → 1950 left; D 1050 → 900; C 1030 and A 1010 do not fit; E 900 does.
    const plans = s.onStep(view(step, { cash: 3000 }));
    expect(plans.map((p) => p.symbol)).toEqual(["B", "D", "E"]);
    expect(s.skipped.map((x) => x.symbol)).toEqual(["C", "A"]);
    expect(s.skipped[0]!.why).toContain("cash 900.00 does not cover 10 × 103.00");
  });

  it("exits come first and do not free cash for entries in the same step", () => {
    const s = warmed({ ...momentum, sizing: { kind: "fixed_shares", shares: 10 } });
    const plans = s.onStep(view(step, { cash: 0, equity: 630, positions: { E: 7 } }));
    expect(plans).toEqual([{ symbol: "E", side: "sell", qty: 7, reason: "exit: close 90.00 < 95" }]);
  });

  it("without rankBy, universe order", () => {
    const s = warmed({ ...momentum, rankBy: undefined, sizing: { kind: "equal_weight", slots: 2 } });
    expect(s.onStep(view(step)).map((p) => p.symbol)).toEqual(["A", "B"]);
  });

  it("atr_risk sizes by the ATR and sets the stop", () => {
    const closes = [100, 102, 101, 103, 104, 103, 105];
    const bars = closes.map((c, i) => ({ t: T0 + i * DAY, open: c, high: c + 2, low: c - 1, close: c, volume: 1 }));
    const s = build({ kind: "rules", entry: { left: "close", op: ">", right: 0 }, sizing: { kind: "atr_risk", riskPct: 0.01, atrPeriod: 3, atrMultiple: 2 } }, ["A"]);
    s.warm("A", bars.slice(0, 6));
    const [plan] = s.onStep(view({ A: bars[6]! }, { cash: 100_000 }));
    const a = atr(Float64Array.from(bars, (b) => b.high), Float64Array.from(bars, (b) => b.low), Float64Array.from(closes), 3)[6]!;
    expect(plan).toMatchObject({ symbol: "A", side: "buy", qty: Math.floor(1000 / (2 * a)), stopLoss: 105 - 2 * a });
  });
});

describe("RulesStrategy: streaming equals batch", () => {
  /** Three New York sessions of minute bars from 09:30, a deterministic random walk. */
  function minuteBars(n: number): Bar[] {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bars: Bar[] = [];
    let c = 50;
    for (let i = 0; i < n; i++) {
      const day = Math.floor(i / 100);
      const t = Date.UTC(2024, 0, 2 + day, 14, 30) + (i % 100) * 60_000;
      const o = c;
      c = Math.max(1, c + (rand() - 0.5) * 2);
      bars.push({ t, open: o, high: Math.max(o, c) + rand(), low: Math.min(o, c) - rand(), close: c, volume: Math.floor(rand() * 1000) });
    }
    return bars;
  }

  it("values after each bar fed one at a time are bit-identical to the catalog's batch series", () => {
    const input: RulesStrategyInput = {
      kind: "rules",
      indicators: {
        s: { name: "sma", period: 7 },
        e: { name: "ema", period: 5 },
        r: { name: "rsi", period: 6 },
        m: { name: "macd", fast: 4, slow: 9, signal: 3 },
        bb: { name: "bollinger", period: 10, stdDev: 2.5 },
        a: { name: "atr", period: 5 },
        v: { name: "vwap" },
        o: { name: "obv" },
        rc: { name: "roc", period: 4 },
        st: { name: "stochastic", period: 6, signal: 3 },
        ax: { name: "adx", period: 5 },
      },
      entry: { left: "close", op: ">", right: "s" },
    };
    const cfg = validateRulesStrategy(input);
    const bars = minuteBars(300);
    const sessions = Int32Array.from(bars, (b) => dayNumber(exchangeZone.dateOf(b.t)));
    const batch = Object.entries(cfg.indicators).map(([alias, req]) => ({ alias, out: computeIndicator(req, toColumns(bars), sessions) }));

    const s = new RulesStrategy(cfg, ["X"]);
    s.warm("X", bars.slice(0, 40));
    for (let i = 40; i < bars.length; i++) {
      s.onStep(view({ X: bars[i]! }, { rebalance: i % 3 === 0 }));
      const values = s.values("X")!;
      for (const { alias, out } of batch) {
        for (const [output, series] of Object.entries(out.series)) {
          const got = values[`${alias}.${output}`];
          if (!Object.is(got, series[i])) expect({ i, alias, output, got }).toEqual({ i, alias, output, got: series[i] });
        }
      }
      expect(values.close).toBe(bars[i]!.close);
    }
    // The VWAP reset at each New York session: the first bar of day 2 is its own typical price.
    const b = bars[100]!;
    expect(batch.find((x) => x.alias === "v")!.out.series.value![100]).toBe((b.high + b.low + b.close) / 3);
  });
});

describe("sizeEntry", () => {
  const at = { equity: 10_000, cash: 10_000, close: 100, atr: null };

  it("each rule, whole shares, floored", () => {
    expect(sizeEntry({ kind: "equal_weight", slots: 3 }, at)).toEqual({ qty: 33 });
    expect(sizeEntry({ kind: "percent_equity", pct: 0.25 }, { ...at, close: 99 })).toEqual({ qty: 25 });
    expect(sizeEntry({ kind: "fixed_notional", amount: 999 }, at)).toEqual({ qty: 9 });
    expect(sizeEntry({ kind: "fixed_shares", shares: 7 }, at)).toEqual({ qty: 7 });
    expect(sizeEntry({ kind: "atr_risk", riskPct: 0.01, atrPeriod: 14, atrMultiple: 2 }, { ...at, atr: 2.5 })).toEqual({ qty: 20, stopLoss: 95 });
  });

  it("a quotient a hair under a whole number still buys that number", () => {
    // 0.3 / 0.1 is 2.9999999999999996 in doubles.
    expect(sizeEntry({ kind: "fixed_notional", amount: 0.3 }, { ...at, close: 0.1 })).toEqual({ qty: 3 });
  });

  it("zero with a reason: no price, no ATR, not even one share, not enough cash", () => {
    expect(sizeEntry({ kind: "fixed_shares", shares: 1 }, { ...at, close: 0 })).toMatchObject({ qty: 0, why: expect.stringContaining("price") });
    expect(sizeEntry({ kind: "fixed_shares", shares: 1 }, { ...at, close: Number.NaN })).toMatchObject({ qty: 0 });
    expect(sizeEntry({ kind: "atr_risk", riskPct: 0.01, atrPeriod: 14, atrMultiple: 2 }, at)).toEqual({ qty: 0, why: "ATR(14) is not known yet" });
    expect(sizeEntry({ kind: "atr_risk", riskPct: 0.01, atrPeriod: 14, atrMultiple: 2 }, { ...at, atr: Number.NaN })).toMatchObject({ qty: 0 });
    expect(sizeEntry({ kind: "fixed_notional", amount: 50 }, at)).toMatchObject({ qty: 0, why: expect.stringContaining("less than one share") });
    expect(sizeEntry({ kind: "fixed_shares", shares: 101 }, at)).toEqual({ qty: 0, why: "cash 10000.00 does not cover 101 × 100.00 = 10100.00" });
    expect(sizeEntry({ kind: "equal_weight", slots: 2 }, { ...at, equity: 0 })).toMatchObject({ qty: 0, why: expect.stringContaining("equity") });
  });

  it("no stop when the ATR distance reaches below zero", () => {
    expect(sizeEntry({ kind: "atr_risk", riskPct: 0.5, atrPeriod: 14, atrMultiple: 2 }, { ...at, atr: 60 })).toEqual({ qty: 41 });
  });
});
