import { z } from "zod";
import { formatMoney, formatNumber, textTable } from "../../src/core/text-table.js";
import type { CellValue } from "../../src/edgar/statements/index.js";
import { fenceFilingText } from "../../src/edgar/untrusted.js";
import { defineTool, READ_ONLY_OPEN_WORLD } from "../spec.js";
import { asOfInput, asOfOut, asOfShape, companyInput, companyLabel, companyOut, companyShape, secSourceOut, secSourceShape } from "./shapes.js";

const inputShape = z.object({
  tag: z.string(),
  start: z.string().nullable(),
  end: z.string(),
  value: z.number(),
  accn: z.string(),
  form: z.string(),
  filed: z.string(),
});

const cellShape = z.object({
  value: z.number(),
  tag: z.string().describe("XBRL tag that supplied the value; for derived values a formula"),
  accn: z.string().describe("Accession number of the filing the value comes from"),
  form: z.string(),
  filed: z.string(),
  url: z.string(),
  derived: z.boolean().describe("Computed (e.g. Q4 = FY − 9M, gross profit = revenue − cost) rather than reported; see inputs"),
  inputs: z.array(inputShape).optional().describe("For derived values: the reported values it was computed from"),
  alsoReportedIn: z.object({ accn: z.string(), form: z.string(), filed: z.string() }).optional().describe("A later filing that re-reported the same value"),
});

function cellOut(c: CellValue): z.input<typeof cellShape> {
  const out: z.input<typeof cellShape> = { value: c.value, tag: c.tag, accn: c.accn, form: c.form, filed: c.filed, url: c.url, derived: c.derived === true };
  if (c.derived && c.inputs) out.inputs = c.inputs.map((i) => ({ tag: i.tag, start: i.start ?? null, end: i.end, value: i.value, accn: i.accn, form: i.form, filed: i.filed }));
  if (c.latest && c.latest.accn !== c.accn) out.alsoReportedIn = c.latest;
  return out;
}

function formatCell(value: number, unit: string, currency: string): string {
  if (unit === "shares") return `${formatNumber(value / 1e6, 1)}M`;
  if (unit.includes("/")) return value.toFixed(2); // per share
  return formatMoney(value, currency);
}

export const getFinancialStatements = defineTool({
  name: "get_financial_statements",
  title: "Financial statements",
  description:
    "Normalised income statement, balance sheet or cash-flow statement from a company's XBRL filings (SEC companyfacts), annual or quarterly, newest period first. " +
    "Line items merge the tags companies used over the years (e.g. revenue: RevenueFromContractWithCustomer… / Revenues / SalesRevenueNet); each value carries the accession number, form, filing date and URL it came from. " +
    "Quarterly Q4 flows are derived as FY − 9M and marked derived. Point in time: with asOf (or in a backtest) only values filed on or before that date are used, so restated numbers appear only once filed.",
  input: z.object({
    company: companyInput,
    statement: z.enum(["income", "balance", "cashflow"]),
    period: z.enum(["annual", "quarterly"]).default("annual"),
    limit: z.number().int().min(1).max(40).default(5).describe("Newest N periods"),
    fiscalYear: z.number().int().min(1993).max(2100).optional().describe("Only this fiscal year's column(s)"),
    asOf: asOfInput,
  }),
  output: z.object({
    company: companyShape,
    statement: z.enum(["income", "balance", "cashflow"]),
    period: z.enum(["annual", "quarterly"]),
    currency: z.string(),
    fiscalYearEnd: z.string().describe("MMDD the filer's fiscal year ends"),
    ...asOfShape,
    columns: z.array(
      z.object({
        label: z.string(),
        start: z.string().nullable(),
        end: z.string(),
        fiscalYear: z.number().int(),
        fiscalPeriod: z.enum(["FY", "Q1", "Q2", "Q3", "Q4", "TR"]),
        transition: z.boolean().describe("A transition period after a fiscal-year change (10-KT/10-QT)"),
      }),
    ),
    rows: z.array(z.object({ item: z.string(), label: z.string(), unit: z.string(), values: z.array(cellShape.nullable()) })),
    source: secSourceShape,
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const r = await app.edgar.statement(input.company, {
      kind: input.statement,
      period: input.period,
      limit: input.limit,
      ...(input.fiscalYear !== undefined ? { fiscalYear: input.fiscalYear } : {}),
      ...(input.asOf !== undefined ? { asOf: input.asOf } : {}),
    });
    const s = r.statement;
    return {
      company: companyOut(r.company),
      statement: s.kind,
      period: s.period,
      currency: s.currency,
      fiscalYearEnd: s.fiscalYearEnd,
      ...asOfOut(r),
      columns: s.columns.map((c) => ({ label: c.label, start: c.start ?? null, end: c.end, fiscalYear: c.fiscalYear, fiscalPeriod: c.fiscalPeriod, transition: c.transition !== undefined })),
      // Rows with no value in any shown period say nothing; leave them out.
      rows: s.rows.filter((row) => row.values.some((v) => v !== null)).map((row) => ({ item: row.item, label: row.label, unit: row.unit, values: row.values.map((v) => (v ? cellOut(v) : null)) })),
      source: secSourceOut(r.source),
    };
  },
  summarize(o) {
    const title = { income: "Income statement", balance: "Balance sheet", cashflow: "Cash flow statement" }[o.statement];
    const head = `${title} (${o.period}) for ${companyLabel(o.company)}, as filed on or before ${o.asOf}, ${o.currency}. Derived values are marked *.`;
    const table = textTable(
      ["Item", ...o.columns.map((c) => `${c.label} (${c.end})`)],
      o.rows.map((r) => [r.label, ...r.values.map((v) => (v ? `${formatCell(v.value, r.unit, o.currency)}${v.derived ? "*" : ""}` : "—"))]),
    );
    const filings = new Map<string, string>();
    for (const r of o.rows) for (const v of r.values) if (v && !filings.has(v.accn)) filings.set(v.accn, `${v.form} filed ${v.filed} (${v.accn}) ${v.url}`);
    const sources = [...filings.values()].sort().reverse().slice(0, 8);
    return `${head}\n${table}\nSources: ${sources.join("; ")}${filings.size > sources.length ? `; and ${filings.size - sources.length} more in the structured output` : ""}.`;
  },
});

export const getConceptHistory = defineTool({
  name: "get_concept_history",
  title: "XBRL concept history",
  description:
    "Every reported period of one XBRL concept (e.g. us-gaap Revenues, dei EntityCommonStockSharesOutstanding) for a company, newest first, each with the filing it came from. " +
    "Duplicates across filings are resolved to the latest filed on or before asOf; `otherFilings` counts the other filings that reported the same period. Use it for tags the statements do not cover.",
  input: z.object({
    company: companyInput,
    tag: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,199}$/, "an XBRL concept name like Revenues"),
    taxonomy: z.string().regex(/^[a-z][a-z0-9-]{0,29}$/).default("us-gaap").describe('"us-gaap", "dei", "ifrs-full", "srt"'),
    unit: z.string().max(40).optional().describe('e.g. "USD", "shares", "USD/shares"; default USD when present'),
    duration: z.enum(["any", "instant", "quarter", "annual"]).default("any"),
    limit: z.number().int().min(1).max(500).default(40),
    asOf: asOfInput,
  }),
  output: z.object({
    company: companyShape,
    taxonomy: z.string(),
    tag: z.string(),
    unit: z.string(),
    label: z.string().nullable(),
    ...asOfShape,
    values: z.array(
      z.object({
        start: z.string().nullable(),
        end: z.string(),
        days: z.number().int().nullable(),
        value: z.number(),
        accn: z.string(),
        form: z.string(),
        filed: z.string(),
        filingFiscalPeriod: z.string().nullable().describe("fy/fp of the FILING that reported it, e.g. 2023 FY (not necessarily the value's period)"),
        frame: z.string().nullable(),
        url: z.string(),
        otherFilings: z.number().int(),
      }),
    ),
    total: z.number().int(),
    truncated: z.boolean(),
    source: secSourceShape,
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const r = await app.edgar.concept(input.company, input.tag, { taxonomy: input.taxonomy, ...(input.unit ? { unit: input.unit } : {}), ...(input.asOf ? { asOf: input.asOf } : {}) });
    const h = r.history;
    const wanted = h.values.filter((v) =>
      input.duration === "any" ? true : input.duration === "instant" ? v.periodType === "instant" : v.bucket === input.duration,
    );
    return {
      company: companyOut(r.company),
      taxonomy: h.taxonomy,
      tag: h.tag,
      unit: h.unit,
      label: h.label ?? null,
      ...asOfOut(r),
      values: wanted.slice(0, input.limit).map((v) => ({
        start: v.start ?? null,
        end: v.end,
        days: v.days ?? null,
        value: v.value,
        accn: v.accn,
        form: v.form,
        filed: v.filed,
        filingFiscalPeriod: v.fy != null ? `${v.fy} ${v.fp ?? ""}`.trim() : null,
        frame: v.frame ?? null,
        url: v.url,
        otherFilings: v.otherFilings,
      })),
      total: wanted.length,
      truncated: wanted.length > input.limit,
      source: secSourceOut(r.source),
    };
  },
  summarize(o) {
    const head = `${o.taxonomy}:${o.tag} (${o.unit}) for ${companyLabel(o.company)} as of ${o.asOf}: ${o.values.length} of ${o.total} period(s).`;
    const rows = o.values.map((v) => [v.start ? `${v.start}..${v.end}` : v.end, formatNumber(v.value), v.form, v.filed, v.accn]);
    const label = o.label ? `\n${fenceFilingText(`XBRL label of ${o.tag}`, o.label)}` : "";
    return `${head}\n${textTable(["Period", "Value", "Form", "Filed", "Accession"], rows, { align: ["left", "right", "left", "left", "left"] })}${label}`;
  },
});
