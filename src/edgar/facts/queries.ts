/**
 * What can be asked of one company's parsed companyfacts. Pure and synchronous: the same
 * function answers in the worker thread and inline, so both paths give identical results.
 */
import { ArgusError } from "../../core/errors.js";
import { computeFactors, type FactorOptions } from "../factors/index.js";
import { buildAllStatements, buildStatements, conceptHistory, type CompanyFacts, type StatementOptions } from "../statements/index.js";

export type FactsQuery =
  | { kind: "statement"; opts: StatementOptions }
  | { kind: "concept"; tag: string; opts: { unit?: string; asOf?: string; taxonomy?: string } }
  | { kind: "summary" }
  /** All statements as of a date, then the factors from them (the price comes from the caller). */
  | { kind: "factors"; opts: Omit<FactorOptions, "statements" | "facts"> };

export interface FactsSummary {
  cik: number;
  entityName: string;
  taxonomies: Array<{ taxonomy: string; concepts: number }>;
}

export function runFactsQuery(facts: CompanyFacts, query: FactsQuery): unknown {
  switch (query.kind) {
    case "statement":
      return buildStatements(facts, query.opts);
    case "concept":
      return conceptHistory(facts, query.tag, query.opts);
    case "summary":
      return summarize(facts);
    case "factors": {
      const statements = buildAllStatements(facts, query.opts.asOf !== undefined ? { asOf: query.opts.asOf } : {});
      return computeFactors({ ...query.opts, statements, facts });
    }
    default:
      throw new ArgusError("INVALID_INPUT", `unknown facts query ${(query as { kind: string }).kind}`);
  }
}

function summarize(facts: CompanyFacts): FactsSummary {
  return {
    cik: facts.cik,
    entityName: facts.entityName,
    taxonomies: Object.entries(facts.facts).map(([taxonomy, concepts]) => ({ taxonomy, concepts: Object.keys(concepts).length })),
  };
}
