import { readFileSync } from "node:fs";
import { fromRoot } from "../core/package-root.js";
import type { Usage } from "./providers/types.js";

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type PriceTable = Record<string, ModelPrice>;

let shipped: PriceTable | undefined;

/** data/llm-prices.json, with the configured prices laid over it. */
export function priceTable(overrides: PriceTable = {}): PriceTable {
  shipped ??= (JSON.parse(readFileSync(fromRoot("data", "llm-prices.json"), "utf8")) as { models: PriceTable }).models;
  return { ...shipped, ...overrides };
}

/** A dated snapshot of a model: claude-sonnet-4-5-20250929, gpt-4.1-2025-04-14. */
const SNAPSHOT_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * The price of a model id: its own entry, or its family's for a dated snapshot. Nothing
 * looser: claude-opus-4-6 is not priced as claude-opus-4, an unknown model has no price.
 */
export function priceOf(model: string, prices: PriceTable): ModelPrice | undefined {
  return prices[model] ?? prices[model.replace(SNAPSHOT_SUFFIX, "")];
}

/** An estimate from list prices; null when the model has no known price (a local model, a new id). */
export function estimateCost(model: string, usage: Usage, prices: PriceTable): number | null {
  const p = priceOf(model, prices);
  if (!p) return null;
  const usd =
    usage.inputTokens * p.input +
    usage.outputTokens * p.output +
    usage.cacheReadTokens * (p.cacheRead ?? p.input) +
    usage.cacheWriteTokens * (p.cacheWrite ?? p.input);
  return usd / 1_000_000;
}

/** One model call, as the agent records it. */
export interface TurnRecord {
  provider: string;
  model: string;
  usage: Usage;
  latencyMs: number;
  costUsd: number | null;
}

export interface Totals {
  calls: number;
  /** All prompt tokens: uncached, cache reads and cache writes. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  latencyMs: number;
  /** Null when any call had no known price: a partial sum would understate the cost. */
  costUsd: number | null;
}

export function promptTokens(u: Usage): number {
  return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

export function totalsOf(records: readonly TurnRecord[]): Totals {
  let cost: number | null = 0;
  const t = { calls: records.length, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, latencyMs: 0 };
  for (const r of records) {
    t.inputTokens += promptTokens(r.usage);
    t.outputTokens += r.usage.outputTokens;
    t.cacheReadTokens += r.usage.cacheReadTokens;
    t.latencyMs += r.latencyMs;
    cost = cost === null || r.costUsd === null ? null : cost + r.costUsd;
  }
  return { ...t, costUsd: cost };
}

export function formatUsd(usd: number | null): string {
  if (usd === null) return "unknown (no price for this model; set agent.prices)";
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(4)}`;
}
