import { z } from "zod";
import { formatSignalTable, SIGNAL_KINDS, type SignalKind } from "../../src/edgar/signals/signals.js";
import { fenceFilingText } from "../../src/edgar/untrusted.js";
import { defineTool, READ_ONLY_OPEN_WORLD } from "../spec.js";
import { asOfInput, asOfOut, asOfShape, companyInput, companyLabel, companyOut, companyShape } from "./shapes.js";

const kindEnum = z.enum(SIGNAL_KINDS as [SignalKind, ...SignalKind[]]);

export const getFilingSignals = defineTool({
  name: "get_filing_signals",
  title: "Filing signals (red and green flags)",
  description:
    "Events in a company's SEC filing record worth knowing before trading it, in a window ending at asOf: late-filing notices (NT 10-K / NT 10-Q, and whether the report followed), " +
    "amendments and restatements (10-K/A, 10-Q/A; an 8-K item 4.02 non-reliance is the strongest), notable 8-K items (bankruptcy, auditor change, impairment, delisting notice, cyber incident, departures …), " +
    "and clusters of insiders buying or selling on the open market (10b5-1 plan sales excluded). Each signal has a direction (−1 bearish … +1 bullish), a 0–100 score that halves every 180 days, how the score was reached, and its filings.",
  input: z.object({
    company: companyInput,
    windowDays: z.number().int().min(1).max(3650).default(365).describe("How far back from asOf to look"),
    includeInsiders: z.boolean().default(true).describe("Read Form 3/4/5 filings for insider clusters (one SEC request per new filing)"),
    maxInsiderFilings: z.number().int().min(1).max(200).default(80),
    limit: z.number().int().min(1).max(500).default(50),
    asOf: asOfInput,
  }),
  output: z.object({
    company: companyShape,
    ...asOfShape,
    from: z.string().describe("First filing date in the window"),
    windowDays: z.number().int(),
    halfLifeDays: z.number(),
    counts: z.record(kindEnum, z.number().int()),
    signals: z.array(
      z.object({
        kind: kindEnum,
        direction: z.number(),
        score: z.number(),
        baseScore: z.number(),
        date: z.string(),
        ageDays: z.number().int(),
        item: z.string().optional(),
        title: z.string(),
        detail: z.string().describe("How the score was reached; insider signals name owners as filed (untrusted text)"),
        filings: z.array(
          z.object({
            accessionNumber: z.string(),
            form: z.string(),
            filingDate: z.string(),
            reportDate: z.string().nullable(),
            url: z.string(),
            items: z.array(z.string()).optional(),
          }),
        ),
      }),
    ),
    total: z.number().int(),
    insiderFilingsRead: z.number().int().nullable(),
    insiderFilingsTruncated: z.boolean().describe("More ownership filings fell in the window than maxInsiderFilings"),
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const r = await app.edgar.signals(input.company, {
      windowDays: input.windowDays,
      includeInsiders: input.includeInsiders,
      maxInsiderFilings: input.maxInsiderFilings,
      ...(input.asOf ? { asOf: input.asOf } : {}),
    });
    return {
      company: companyOut(r.company),
      ...asOfOut(r),
      from: r.result.from,
      windowDays: r.result.windowDays,
      halfLifeDays: r.result.halfLifeDays,
      counts: r.result.counts,
      signals: r.result.signals.slice(0, input.limit),
      total: r.result.signals.length,
      insiderFilingsRead: r.insiders ? r.insiders.filingsRead : null,
      insiderFilingsTruncated: r.insiders?.truncated ?? false,
    };
  },
  summarize(o) {
    const table = formatSignalTable({ asOf: o.asOf, windowDays: o.windowDays, from: o.from, halfLifeDays: o.halfLifeDays, signals: o.signals, counts: o.counts });
    const insiders = o.insiderFilingsRead === null ? " Insider filings were not read." : o.insiderFilingsTruncated ? ` Only the newest ${o.insiderFilingsRead} insider filings were read.` : "";
    const details = o.signals.slice(0, 10).map((s) => `${s.date} ${s.title}: ${s.detail}`).join("\n");
    return `${companyLabel(o.company)}.${insiders}\n${fenceFilingText(`filing index of CIK ${o.company.cik}`, details ? `${table}\n\nTop signals, explained:\n${details}` : table)}`;
  },
});
