import { describe, expect, it } from "vitest";
import { ensemble, normalizeWeights } from "./ensemble.js";
import { momentumVote } from "./momentum-strategy.js";
import { rsiVote } from "./rsi-strategy.js";
import type { Vote } from "./vote.js";
import { vwapVote } from "./vwap-strategy.js";

const RSI = { period: 14, oversold: 30, overbought: 70 };

describe("strategy votes", () => {
  it("RSI votes against extremes, with confidence growing past the line", () => {
    expect(rsiVote(25, RSI)).toMatchObject({ vote: "BUY", values: { rsi: 25 }, thresholds: RSI });
    expect(rsiVote(80, RSI).vote).toBe("SELL");
    expect(rsiVote(50, RSI)).toMatchObject({ vote: "HOLD", confidence: 0 });
    expect(rsiVote(null, RSI).reason).toMatch(/warming up/);
    expect(rsiVote(10, RSI).confidence).toBeGreaterThan(rsiVote(28, RSI).confidence);
  });

  it("VWAP follows the side of VWAP, ignores noise and refuses to chase", () => {
    expect(vwapVote(101, 100, 2, "session")).toMatchObject({ vote: "BUY", values: { deviationAtr: 0.5 } });
    expect(vwapVote(99, 100, 2, "session").vote).toBe("SELL");
    expect(vwapVote(100.2, 100, 2, "session").vote).toBe("HOLD"); // 0.1 ATR: noise
    expect(vwapVote(106, 100, 2, "session").reason).toMatch(/overextended/); // 3 ATR
    expect(vwapVote(100, null, 2, "session").vote).toBe("HOLD");
  });

  it("momentum needs a crossover confirmed by volume and ROC for conviction", () => {
    const series = (hist: number[], volume: number[]) => ({
      macd: Float64Array.from(hist),
      signal: new Float64Array(hist.length),
      histogram: Float64Array.from(hist),
      volume: Float64Array.from(volume),
      volumeSma20: new Float64Array(hist.length).fill(100),
      atr: 1,
      price: 50,
    });
    const confirmed = momentumVote({ ...series([-0.2, -0.1, 0.3], [100, 100, 150]), roc: 2 });
    expect(confirmed).toMatchObject({ vote: "BUY", values: { crossBarsAgo: 0, crossVolumeRatio: 1.5 } });
    expect(confirmed.confidence).toBeGreaterThanOrEqual(0.6);
    expect(momentumVote({ ...series([-0.2, -0.1, 0.3], [100, 100, 110]), roc: 2 }).reason).toMatch(/unconfirmed/);
    expect(momentumVote({ ...series([-0.2, -0.1, 0.3], [100, 100, 150]), roc: -1 }).vote).toBe("HOLD");
    expect(momentumVote({ ...series([0.3, 0.2, -0.4], [100, 100, 200]), roc: -3 }).vote).toBe("SELL");
    expect(momentumVote({ ...series([0.1, 0.2, 0.3, 0.4, 0.5], [100, 100, 100, 100, 100]), roc: 1 })).toMatchObject({ vote: "BUY" });
  });
});

describe("weighted ensemble", () => {
  const vote = (strategy: Vote["strategy"], v: Vote["vote"], confidence: number): Vote => ({ strategy, vote: v, confidence, values: {}, thresholds: {}, reason: "" });
  const W = { vwap: 0.35, rsi: 0.3, momentum: 0.35 };

  it("scores Σ weight × direction × confidence and needs the threshold to act", () => {
    const r = ensemble([vote("vwap", "BUY", 1), vote("rsi", "HOLD", 0), vote("momentum", "BUY", 0.5)], W, 0.15);
    expect(r.score).toBeCloseTo(0.35 + 0.175, 12);
    expect(r).toMatchObject({ action: "BUY", agreement: 2 });
    const weak = ensemble([vote("vwap", "BUY", 0.3), vote("rsi", "HOLD", 0), vote("momentum", "HOLD", 0)], W, 0.15);
    expect(weak.action).toBe("HOLD"); // 0.105 < 0.15
    const split = ensemble([vote("vwap", "BUY", 1), vote("rsi", "SELL", 1), vote("momentum", "SELL", 1)], W, 0.15);
    expect(split.action).toBe("SELL");
    expect(split.score).toBeCloseTo(-0.3, 12);
  });

  it("normalises weights and falls back to equal weights when all are zero", () => {
    expect(normalizeWeights({ vwap: 2, rsi: 1, momentum: 1 })).toEqual({ vwap: 0.5, rsi: 0.25, momentum: 0.25 });
    expect(normalizeWeights({ vwap: 0, rsi: 0, momentum: 0 }).rsi).toBeCloseTo(1 / 3, 12);
  });
});
