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
 *
 * A payload holds tens of thousands of facts and running the zod schema over them cost about
 * as much as JSON.parse itself, so a hand-written check (`checkedAsIs`) goes first. It is
 * deliberately conservative: it accepts only what companyFactsSchema accepts and returns the
 * payload's own nested objects instead of zod's copies; on anything it does not recognise
 * it answers "don't know", and the zod schema — still the definition of a valid payload —
 * decides, with the same result and error as always.
 */
export function parseCompanyFacts(json: unknown): CompanyFacts {
  const fast = checkedAsIs(json);
  if (fast) return fast;
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

// ─────────────── fast path: the same rules as the zod schemas above ───────────────
//
// Every fact of every taxonomy is checked, not only those the statements read (us-gaap, dei,
// ifrs-full): conceptHistory and StatementOptions.taxonomy accept any taxonomy, so every fact
// can reach code that trusts its shape, and the other taxonomies hold under 2% of the facts.

type Json = Record<string, unknown>;

const CIK_STRING = /^\d{1,10}$/;

/** The payload itself when it certainly passes companyFactsSchema; undefined when unsure. */
function checkedAsIs(json: unknown): CompanyFacts | undefined {
  if (!isJsonObject(json)) return undefined;
  const cik = cikOf(json["cik"]);
  const { entityName, facts } = json;
  if (cik === undefined || typeof entityName !== "string" || !isJsonObject(facts)) return undefined;
  for (const taxonomy in facts) {
    const concepts = facts[taxonomy];
    if (!isJsonObject(concepts)) return undefined;
    for (const name in concepts) if (!isConcept(concepts[name])) return undefined;
  }
  // zod's output order: the schema's keys, then the unknown ones.
  const out: CompanyFacts = { cik, entityName, facts: facts as CompanyFacts["facts"] };
  for (const k in json) if (k !== "cik" && k !== "entityName" && k !== "facts") out[k] = json[k];
  return out;
}

/** Same as the schema's cik: a non-negative safe integer, or up to 10 digits as a string. */
function cikOf(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  return typeof v === "string" && CIK_STRING.test(v) ? Number(v) : undefined;
}

function isConcept(v: unknown): boolean {
  if (!isJsonObject(v)) return false;
  if (!isOptionalNullableString(v["label"]) || !isOptionalNullableString(v["description"])) return false;
  const units = v["units"];
  if (!isJsonObject(units)) return false;
  for (const unit in units) {
    const list = units[unit];
    if (!Array.isArray(list)) return false;
    for (let i = 0; i < list.length; i++) if (!isFact(list[i])) return false;
  }
  return true;
}

/** factSchema, by hand. */
function isFact(v: unknown): boolean {
  if (!isJsonObject(v)) return false;
  const { start, end, val, accn, fy, fp, form, filed, frame } = v;
  return (
    (start === undefined || isIsoDate(start)) &&
    isIsoDate(end) &&
    typeof val === "number" &&
    Number.isFinite(val) &&
    typeof accn === "string" &&
    accn.length > 0 &&
    (fy === undefined || fy === null || (typeof fy === "number" && Number.isFinite(fy))) &&
    isOptionalNullableString(fp) &&
    typeof form === "string" &&
    isIsoDate(filed) &&
    (frame === undefined || typeof frame === "string")
  );
}

/** ISO_DATE.test(v) for a string, without the regex engine: NNNN-NN-NN, ASCII digits. */
function isIsoDate(v: unknown): boolean {
  if (typeof v !== "string" || v.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = v.charCodeAt(i);
    if (i === 4 || i === 7 ? c !== 45 : c < 48 || c > 57) return false;
  }
  return true;
}

function isOptionalNullableString(v: unknown): boolean {
  return v === undefined || v === null || typeof v === "string";
}

/**
 * An object as JSON.parse makes them: what both z.object and z.record accept, and what zod's
 * copy would reproduce. Other prototypes (zod copies inherited keys) and own "__proto__" keys
 * (zod drops them) are left to zod.
 */
function isJsonObject(v: unknown): v is Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !Object.prototype.hasOwnProperty.call(v, "__proto__");
}
