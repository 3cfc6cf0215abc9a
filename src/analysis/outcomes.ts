import type { AnalysisRow } from "../db/schema.js";
import { direction, type Action } from "./strategies/vote.js";

/**
 * How an analysis turned out once its horizon passed. The return is measured from the
 * analysis's entry (the close it saw) to the close `horizonDays` sessions later, and
 * scaled by the volatility expected over the horizon (σ_N = daily σ × √N) so that
 * scores are comparable across quiet and wild symbols:
 * - BUY / SELL: success = tanh(direction × r / σ_N) in (−1, 1); outcome CORRECT when the
 *   sign matches, WRONG otherwise.
 * - HOLD: success = 1 − 2·min(1, |r| / σ_N): positive when the move stayed within one
 *   expected sigma (holding was right), negative when it did not.
 */
export function expectedMove(row: Pick<AnalysisRow, "regimeDetail" | "horizonDays">): number {
  const vol = (row.regimeDetail as { metrics?: { volatility20?: number | null } }).metrics?.volatility20;
  const daily = vol && vol > 0 ? vol / Math.sqrt(252) : 0.02;
  return daily * Math.sqrt(row.horizonDays);
}

export function scoreOutcome(decision: Action, realizedReturn: number, sigmaN: number): { outcome: string; successScore: number } {
  const dir = direction(decision);
  if (dir === 0) {
    const score = 1 - 2 * Math.min(1, Math.abs(realizedReturn) / sigmaN);
    return { outcome: score >= 0 ? "CORRECT" : "WRONG", successScore: score };
  }
  const signed = dir * realizedReturn;
  return { outcome: signed > 0 ? "CORRECT" : "WRONG", successScore: Math.tanh(signed / sigmaN) };
}
