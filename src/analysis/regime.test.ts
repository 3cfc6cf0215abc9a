import { describe, expect, it } from "vitest";
import { classifyRegime } from "./regime.js";
import type { Columns } from "./series.js";
import { scoreOutcome } from "./outcomes.js";

const THRESHOLDS = { adxTrending: 25, adxRanging: 20, efficiencyRanging: 0.3, panicVolatility: 0.6, panicDrawdown: 0.2, panicVolRatio: 1.5 };

function columns(closes: number[], range = 0.01): Columns {
  const n = closes.length;
  const c = Float64Array.from(closes);
  return {
    t: Float64Array.from({ length: n }, (_, i) => i * 86_400_000),
    open: c,
    high: c.map((x) => x * (1 + range)),
    low: c.map((x) => x * (1 - range)),
    close: c,
    volume: new Float64Array(n).fill(1e6),
    length: n,
  };
}

describe("regime", () => {
  it("calls a steady climb TRENDING", () => {
    const r = classifyRegime(columns(Array.from({ length: 300 }, (_, i) => 100 * 1.004 ** i)), THRESHOLDS);
    expect(r.regime).toBe("TRENDING");
    expect(r.metrics.adx).toBeGreaterThan(25);
    expect(r.thresholds).toEqual(THRESHOLDS);
  });

  it("calls a tight back-and-forth MEAN_REVERTING", () => {
    const r = classifyRegime(columns(Array.from({ length: 300 }, (_, i) => 100 + (i % 2 === 0 ? 0.5 : -0.5)), 0.006), THRESHOLDS);
    expect(r.regime).toBe("MEAN_REVERTING");
    expect(r.metrics.efficiencyRatio).toBeLessThan(0.3);
  });

  it("calls a violent crash PANIC, naming the rule", () => {
    const calm = Array.from({ length: 280 }, (_, i) => 100 + Math.sin(i / 5));
    const crash = Array.from({ length: 20 }, (_, i) => 100 * (i % 2 === 0 ? 0.9 : 1.04) ** (i / 2 + 1) * 0.97 ** i);
    const r = classifyRegime(columns([...calm, ...crash], 0.05), THRESHOLDS);
    expect(r.regime).toBe("PANIC");
    expect(r.reason).toMatch(/volatility/);
  });
});

describe("outcome scores", () => {
  it("grades direction calls by the sign and HOLD by the size of the move", () => {
    expect(scoreOutcome("BUY", 0.03, 0.03)).toEqual({ outcome: "CORRECT", successScore: Math.tanh(1) });
    expect(scoreOutcome("SELL", 0.03, 0.03)).toEqual({ outcome: "WRONG", successScore: Math.tanh(-1) });
    expect(scoreOutcome("HOLD", 0.003, 0.03)).toMatchObject({ outcome: "CORRECT", successScore: 0.8 });
    expect(scoreOutcome("HOLD", -0.06, 0.03)).toMatchObject({ outcome: "WRONG", successScore: -1 });
  });
});
