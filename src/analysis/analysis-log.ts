import { and, desc, eq, isNull, isNotNull, lte, type SQL } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { analyses, weightSets, type AnalysisRow, type NewAnalysisRow, type WeightSetRow } from "../db/schema.js";

export interface AnalysisFilter {
  symbol?: string;
  decision?: string;
  scored?: boolean;
  limit: number;
}

export interface OutcomeUpdate {
  scoredAt: number;
  exitTime: number;
  exitPrice: number;
  realizedReturn: number;
  outcome: string;
  successScore: number;
}

export type LlmFields = Pick<NewAnalysisRow, "llmProvider" | "llmModel" | "llmPrompt" | "llmResponse" | "llmInputTokens" | "llmOutputTokens" | "llmLatencyMs" | "llmCostUsd">;

/** The analysis log and the weight sets: persistence only, no judgement. */
export class AnalysisLog {
  constructor(private readonly db: Db) {}

  insert(row: NewAnalysisRow): void {
    this.db.insert(analyses).values(row).run();
  }

  get(id: string): AnalysisRow | undefined {
    return this.db.select().from(analyses).where(eq(analyses.id, id)).get();
  }

  /** Newest first. Only rows whose as-of is not after `asOfBefore` (the Clock's now). */
  list(filter: AnalysisFilter, asOfBefore: number): AnalysisRow[] {
    const conds: SQL[] = [lte(analyses.asOf, asOfBefore)];
    if (filter.symbol) conds.push(eq(analyses.symbol, filter.symbol));
    if (filter.decision) conds.push(eq(analyses.decision, filter.decision));
    if (filter.scored === true) conds.push(isNotNull(analyses.scoredAt));
    if (filter.scored === false) conds.push(isNull(analyses.scoredAt));
    return this.db.select().from(analyses).where(and(...conds)).orderBy(desc(analyses.asOf), desc(analyses.createdAt)).limit(filter.limit).all();
  }

  /**
   * Fills an analysis's LLM fields once: the first answer that ran it keeps them. True when
   * this call wrote them (false when the id is unknown or they were already set).
   */
  recordLlm(id: string, llm: LlmFields): boolean {
    const r = this.db
      .update(analyses)
      .set(llm)
      .where(and(eq(analyses.id, id), isNull(analyses.llmProvider)))
      .run();
    return r.changes === 1;
  }

  unscored(asOfBefore: number, symbol: string | undefined, limit: number): AnalysisRow[] {
    return this.list({ symbol, scored: false, limit }, asOfBefore);
  }

  /** Records outcomes in one transaction: a crash leaves every row either scored or not. */
  recordOutcomes(updates: { id: string; outcome: OutcomeUpdate }[]): void {
    this.db.transaction((tx) => {
      for (const u of updates) tx.update(analyses).set(u.outcome).where(eq(analyses.id, u.id)).run();
    });
  }

  scored(regime: string, asOfBefore: number): AnalysisRow[] {
    return this.db
      .select()
      .from(analyses)
      .where(and(eq(analyses.regime, regime), isNotNull(analyses.scoredAt), lte(analyses.asOf, asOfBefore)))
      .all();
  }

  insertWeightSet(row: WeightSetRow): void {
    this.db.insert(weightSets).values(row).run();
  }

  /** The weight set in force for a regime at `at`: the newest recorded on or before it. */
  latestWeightSet(regime: string, at: number): WeightSetRow | undefined {
    return this.db
      .select()
      .from(weightSets)
      .where(and(eq(weightSets.regime, regime), lte(weightSets.createdAt, at)))
      .orderBy(desc(weightSets.createdAt))
      .limit(1)
      .get();
  }
}
