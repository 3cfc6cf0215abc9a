import { z } from "zod";
import { ArgusError } from "../../core/errors.js";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One reported value of a concept, as the SEC companyfacts API serves it. */
export interface RawFact {
  start?: string;
  end: string;
  val: number;
  accn: string;
  fy?: number | null;
  fp?: string | null;
  form: string;
  filed: string;
  frame?: string;
  [extra: string]: unknown;
}

export interface Concept {
  label?: string | null;
  description?: string | null;
  units: Record<string, RawFact[]>;
  [extra: string]: unknown;
}

export interface CompanyFacts {
  cik: number;
  entityName: string;
  /** taxonomy ("us-gaap", "dei", "ifrs-full", …) → concept name → concept */
  facts: Record<string, Record<string, Concept>>;
  [extra: string]: unknown;
}

const factSchema = z
  .object({
    start: z.string().regex(ISO_DATE).optional(),
    end: z.string().regex(ISO_DATE),
    val: z.number().finite(),
    accn: z.string().min(1),
    fy: z.number().nullable().optional(),
    fp: z.string().nullable().optional(),
    form: z.string(),
    filed: z.string().regex(ISO_DATE),
    frame: z.string().optional(),
  })
  .passthrough();

const conceptSchema = z
  .object({
    label: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    units: z.record(z.string(), z.array(factSchema)),
  })
  .passthrough();

const companyFactsSchema = z
  .object({
    cik: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,10}$/).transform(Number)]),
    entityName: z.string(),
    facts: z.record(z.string(), z.record(z.string(), conceptSchema)),
  })
  .passthrough();

/**
 * Validate a parsed companyfacts payload (`JSON.parse` output). Unknown keys are kept.
 * Throws ArgusError("INVALID_INPUT") naming the first offending paths.
 */
export function parseCompanyFacts(json: unknown): CompanyFacts {
  const res = companyFactsSchema.safeParse(json);
  if (!res.success) {
    const issues = res.error.issues.slice(0, 5).map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
    }));
    const first = issues[0];
    throw new ArgusError(
      "INVALID_INPUT",
      `malformed SEC companyfacts payload${first ? `: ${first.path || "(root)"}: ${first.message}` : ""}`,
      { issues, issueCount: res.error.issues.length },
    );
  }
  return res.data as CompanyFacts;
}
