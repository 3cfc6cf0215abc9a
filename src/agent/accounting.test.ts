import { describe, expect, it } from "vitest";
import { estimateCost, priceOf, priceTable, totalsOf } from "./accounting.js";

describe("cost estimates", () => {
  const prices = priceTable();

  it("prices a model by its own entry or, for a dated snapshot, its family's; nothing looser", () => {
    expect(priceOf("claude-sonnet-4-5-20250929", prices)).toEqual(prices["claude-sonnet-4-5"]);
    expect(priceOf("gpt-4.1-2025-04-14", prices)).toEqual(prices["gpt-4.1"]);
    expect(priceOf("gpt-4.1-mini", prices)).toEqual(prices["gpt-4.1-mini"]);
    expect(priceOf("claude-opus-4-6", prices)).toBeUndefined();
    expect(priceOf("qwen3:8b", prices)).toBeUndefined();
  });

  it("bills uncached input, output, cache reads and cache writes at their own prices", () => {
    // Sonnet 4.6: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    const usd = estimateCost("claude-sonnet-4-6", { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 2_000_000, cacheWriteTokens: 400_000 }, prices);
    expect(usd).toBeCloseTo(3 + 1.5 + 0.6 + 1.5, 10);
    expect(estimateCost("qwen3:8b", { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, prices)).toBeNull();
  });

  it("a configured price overrides the shipped table", () => {
    expect(priceOf("qwen3:8b", priceTable({ "qwen3:8b": { input: 0, output: 0 } }))).toEqual({ input: 0, output: 0 });
  });

  it("totals sum prompt tokens of every kind, and an unknown price makes the total unknown, not smaller", () => {
    const usage = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 50, cacheWriteTokens: 5 };
    const known = { provider: "anthropic", model: "m", usage, latencyMs: 100, costUsd: 0.5 };
    expect(totalsOf([known, known])).toEqual({ calls: 2, inputTokens: 310, outputTokens: 20, cacheReadTokens: 100, latencyMs: 200, costUsd: 1 });
    expect(totalsOf([known, { ...known, costUsd: null }]).costUsd).toBeNull();
  });
});
