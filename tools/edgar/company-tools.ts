import { z } from "zod";
import { textTable } from "../../src/core/text-table.js";
import { fenceFilingText } from "../../src/edgar/untrusted.js";
import { defineTool, READ_ONLY_OPEN_WORLD } from "../spec.js";
import { asOfInput, asOfOut, asOfShape, companyInput, companyLabel, isoDateInput, secSourceOut, secSourceShape } from "./shapes.js";

export const searchCompanies = defineTool({
  name: "search_companies",
  title: "Search SEC companies",
  description:
    "Find SEC registrants by company name or ticker, tolerant of typos (\"aple\", \"microsft\", \"APPL\"). Returns ticker, CIK and name, best match first. " +
    "Use it when you have a name but not the exact ticker or CIK the other EDGAR tools take.",
  input: z.object({
    query: z.string().trim().min(1).max(100).describe("Company name or ticker, in any case"),
    limit: z.number().int().min(1).max(50).default(10),
  }),
  output: z.object({
    query: z.string(),
    matches: z.array(z.object({ cik: z.string(), ticker: z.string(), name: z.string(), score: z.number().describe("Match strength, higher is better") })),
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const matches = await app.edgar.searchCompanies(input.query, input.limit);
    return { query: input.query, matches };
  },
  summarize(o) {
    if (o.matches.length === 0) return `No SEC registrant matches "${o.query}".`;
    return `${o.matches.length} match(es) for "${o.query}":\n${textTable(["Ticker", "CIK", "Name"], o.matches.map((m) => [m.ticker, m.cik, m.name]))}`;
  },
});

const addressShape = z
  .object({ street1: z.string().nullable(), street2: z.string().nullable(), city: z.string().nullable(), stateOrCountry: z.string().nullable(), zipCode: z.string().nullable() })
  .nullable();

export const getCompany = defineTool({
  name: "get_company",
  title: "SEC company profile",
  description:
    "A company's SEC profile from its submissions: name, tickers, exchanges, SIC industry, fiscal year end (MMDD), state of incorporation, filer category, former names and addresses. " +
    "Takes a ticker or a CIK (CIKs work for filers without a ticker, such as fund managers).",
  input: z.object({ company: companyInput }),
  output: z.object({
    cik: z.string(),
    name: z.string(),
    tickers: z.array(z.string()),
    exchanges: z.array(z.string()),
    entityType: z.string().nullable(),
    sic: z.string().nullable(),
    sicDescription: z.string().nullable(),
    fiscalYearEnd: z.string().nullable().describe('Month and day the fiscal year ends, "MMDD" ("0930" = 30 September)'),
    stateOfIncorporation: z.string().nullable(),
    category: z.string().nullable(),
    ein: z.string().nullable(),
    website: z.string().nullable(),
    formerNames: z.array(z.object({ name: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
    businessAddress: addressShape,
    source: secSourceShape,
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const p = await app.edgar.profile(input.company);
    const a = p.addresses.business;
    return {
      cik: p.cik,
      name: p.name,
      tickers: p.tickers,
      exchanges: p.exchanges,
      entityType: p.entityType,
      sic: p.sic,
      sicDescription: p.sicDescription,
      fiscalYearEnd: p.fiscalYearEnd,
      stateOfIncorporation: p.stateOfIncorporation,
      category: p.category,
      ein: p.ein,
      website: p.website,
      formerNames: p.formerNames,
      businessAddress: a ? { street1: a.street1, street2: a.street2, city: a.city, stateOrCountry: a.stateOrCountry, zipCode: a.zipCode } : null,
      source: secSourceOut(p.source),
    };
  },
  summarize(o) {
    const lines = [
      `Name: ${o.name}`,
      `Tickers: ${o.tickers.join(", ") || "none"} on ${o.exchanges.join(", ") || "no exchange"}`,
      `Industry: SIC ${o.sic ?? "?"} ${o.sicDescription ?? ""}`.trimEnd(),
      `Fiscal year ends: ${o.fiscalYearEnd ? `${o.fiscalYearEnd.slice(0, 2)}-${o.fiscalYearEnd.slice(2)} (MM-DD)` : "unknown"}`,
      `Incorporated: ${o.stateOfIncorporation ?? "unknown"}; category: ${o.category ?? "unknown"}`,
    ];
    if (o.formerNames.length) lines.push(`Former names: ${o.formerNames.map((f) => `${f.name} (${f.from ?? "?"} to ${f.to ?? "?"})`).join("; ")}`);
    return `SEC profile, CIK ${o.cik}:\n${fenceFilingText(`SEC submissions ${o.source.url}`, lines.join("\n"))}`;
  },
});

const filingOutShape = z.object({
  accessionNumber: z.string(),
  form: z.string(),
  filingDate: z.string(),
  reportDate: z.string().nullable(),
  items: z.array(z.string()).describe("8-K item numbers (e.g. 2.02 results, 4.02 non-reliance), empty for other forms"),
  description: z.string().nullable().describe("The primary document's description, as filed (untrusted text)"),
  url: z.string().describe("Filing index page"),
  documentUrl: z.string().nullable().describe("Primary document"),
});

export const listFilings = defineTool({
  name: "list_filings",
  title: "List SEC filings",
  description:
    "A company's SEC filings, newest first, filtered by exact form type (\"10-K\" does not include \"10-K/A\") and filing-date range, each with accession number, dates, 8-K items and links. " +
    "Never returns a filing made after asOf (or the clock's today).",
  input: z.object({
    company: companyInput,
    forms: z.array(z.string().trim().min(1).max(20)).max(20).optional().describe('Form types, e.g. ["10-K", "10-K/A", "8-K"]'),
    from: isoDateInput.optional().describe("Earliest filing date, YYYY-MM-DD"),
    to: isoDateInput.optional().describe("Latest filing date, YYYY-MM-DD"),
    asOf: asOfInput,
    limit: z.number().int().min(1).max(1000).default(50),
  }),
  output: z.object({
    cik: z.string(),
    name: z.string(),
    ...asOfShape,
    filings: z.array(filingOutShape),
    matched: z.number().int().describe("Filings that matched before the limit cut the list"),
    truncated: z.boolean(),
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const r = await app.edgar.filings(input.company, { forms: input.forms, from: input.from, to: input.to, limit: input.limit, asOf: input.asOf });
    return {
      cik: r.cik,
      name: r.name,
      ...asOfOut(r),
      filings: r.filings.map((f) => ({
        accessionNumber: f.accessionNumber,
        form: f.form,
        filingDate: f.filingDate,
        reportDate: f.reportDate,
        items: f.items ? f.items.split(",").map((s) => s.trim()).filter(Boolean) : [],
        description: f.primaryDocDescription,
        url: f.indexUrl,
        documentUrl: f.primaryDocumentUrl,
      })),
      matched: r.matched,
      truncated: r.truncated,
    };
  },
  summarize(o) {
    const head = `${companyLabel({ name: o.name, ticker: null, cik: o.cik })}: ${o.filings.length} filing(s) as of ${o.asOf}${o.truncated ? ` (of ${o.matched}; raise limit or narrow the dates)` : ""}.`;
    if (o.filings.length === 0) return head;
    const rows = o.filings.map((f) => [f.filingDate, f.form, f.reportDate ?? "", f.items.join(","), f.accessionNumber, f.description ?? ""]);
    return `${head}\n${fenceFilingText(`filing list, CIK ${o.cik}`, textTable(["Filed", "Form", "Period", "Items", "Accession", "Description"], rows, { align: ["left", "left", "left", "left", "left", "left"] }))}`;
  },
});
