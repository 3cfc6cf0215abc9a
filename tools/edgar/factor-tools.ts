import { z } from "zod";
import { formatFactorTable, type FactorInput, type FactorReport, type PriceInput } from "../../src/edgar/factors/index.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { defineTool, READ_ONLY_OPEN_WORLD } from "../spec.js";
import { asOfInput, asOfOut, asOfShape, companyInput, companyLabel, companyOut, companyShape, secSourceOut, secSourceShape } from "./shapes.js";

const periodShape = z.object({ label: z.string(), start: z.string().nullable(), end: z.string() });

const priceShape = z.object({
  symbol: z.string(),
  price: z.number(),
  asOf: z.string().describe("When the price was observed"),
  source: z.string(),
  synthetic: z.boolean().describe("True when the price is from Argus's synthetic demo data, not a real market price"),
});

const inputShape = z.object({
  name: z.string(),
  value: z.number(),
  period: periodShape,
  tag: z.string(),
  accn: z.string(),
  form: z.string(),
  filed: z.string(),
  url: z.string(),
  derived: z.boolean(),
  derivedFrom: z
    .array(z.object({ tag: z.string(), value: z.number(), start: z.string().nullable(), end: z.string(), accn: z.string(), form: z.string(), filed: z.string() }))
    .optional(),
});

function priceOut(p: PriceInput): z.input<typeof priceShape> {
  return { symbol: p.symbol, price: p.price, asOf: p.asOf, source: p.source, synthetic: p.synthetic === true };
}

function inputOut(i: FactorInput): z.input<typeof inputShape> {
  const out: z.input<typeof inputShape> = {
    name: i.name,
    value: i.value,
    period: { label: i.period.label, start: i.period.start ?? null, end: i.period.end },
    tag: i.tag,
    accn: i.accn,
    form: i.form,
    filed: i.filed,
    url: i.url,
    derived: i.derived === true,
  };
  if (i.derivedFrom) out.derivedFrom = i.derivedFrom.map((d) => ({ tag: d.tag, value: d.value, start: d.start ?? null, end: d.end, accn: d.accn, form: d.form, filed: d.filed }));
  return out;
}

export const getFactors = defineTool({
  name: "get_factors",
  title: "Fundamental factors",
  description:
    "Fundamental ratios from a company's filings, as of a date: gross/operating/net/FCF margins, revenue, net income and EPS growth (YoY) and revenue CAGR (3y, 5y), ROE and ROA (on average balances), " +
    "debt-to-equity, current ratio, free cash flow, EBITDA, and — with a price from Argus's own daily bars at the as-of date — shares outstanding, market cap, P/E, P/B, P/S, EV/EBITDA and FCF yield. " +
    "basis \"ttm\" sums the last four quarters; \"annual\" uses the latest fiscal year. Each factor gives its formula, its value or null with a note saying why, and every input with the filing it came from.",
  input: z.object({
    company: companyInput,
    basis: z.enum(["annual", "ttm"]).default("ttm"),
    symbol: symbolSchema.optional().describe("Symbol whose bars price the company (default: its ticker)"),
    asOf: asOfInput,
  }),
  output: z.object({
    company: companyShape,
    ...asOfShape,
    basis: z.enum(["annual", "ttm"]),
    period: periodShape.describe("The income and cash-flow period the factors describe"),
    balanceDate: z.string().nullable(),
    currency: z.string(),
    price: priceShape.nullable(),
    factors: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        group: z.enum(["profitability", "growth", "returns", "leverage", "liquidity", "cashflow", "valuation"]),
        value: z.number().nullable(),
        unit: z.enum(["ratio", "percent", "USD", "USD/share", "shares", "multiple"]).describe("percent values are in percent: 44.1 means 44.1%"),
        formula: z.string(),
        period: z.string(),
        note: z.string().nullable(),
        inputs: z.array(inputShape),
      }),
    ),
    warnings: z.array(z.string()),
    source: secSourceShape,
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const r = await app.edgar.factors(input.company, { basis: input.basis, ...(input.asOf ? { asOf: input.asOf } : {}), ...(input.symbol ? { symbol: input.symbol } : {}) });
    const rep: FactorReport = r.report;
    return {
      company: companyOut(r.company),
      ...asOfOut(r),
      basis: rep.basis,
      period: { label: rep.period.label, start: rep.period.start ?? null, end: rep.period.end },
      balanceDate: rep.balanceDate,
      currency: rep.currency,
      price: rep.price ? priceOut(rep.price) : null,
      factors: rep.factors.map((f) => ({
        id: f.id,
        label: f.label,
        group: f.group,
        value: f.value,
        unit: f.unit,
        formula: f.formula,
        period: f.period,
        note: f.note ?? null,
        inputs: f.inputs.map(inputOut),
      })),
      warnings: rep.warnings,
      source: secSourceOut(r.source),
    };
  },
  summarize(o) {
    const report: FactorReport = {
      cik: Number(o.company.cik),
      entityName: o.company.name,
      basis: o.basis,
      asOf: o.asOf,
      period: { label: o.period.label, end: o.period.end, ...(o.period.start ? { start: o.period.start } : {}) },
      balanceDate: o.balanceDate,
      currency: o.currency,
      ...(o.price ? { price: o.price } : {}),
      factors: o.factors.map((f) => ({ ...f, note: f.note ?? undefined, inputs: [] })) as FactorReport["factors"],
      warnings: o.warnings,
    };
    const filings = new Set(o.factors.flatMap((f) => f.inputs.map((i) => `${i.form} ${i.accn} filed ${i.filed}`)));
    const cites = [...filings].sort((a, b) => b.slice(-10).localeCompare(a.slice(-10))).slice(0, 6);
    const synthetic = o.price?.synthetic ? "[SYNTHETIC DEMO PRICE: valuation factors are not real] " : "";
    return `${synthetic}${companyLabel(o.company)}, ${o.basis === "ttm" ? "trailing twelve months" : "latest fiscal year"} as of ${o.asOf}.\n${formatFactorTable(report)}\nFrom: ${cites.join("; ")}${filings.size > cites.length ? ` and ${filings.size - cites.length} more (see inputs)` : ""}.`;
  },
});
