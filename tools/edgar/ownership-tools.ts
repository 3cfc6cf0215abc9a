import { z } from "zod";
import { formatMoney, formatNumber, textTable } from "../../src/core/text-table.js";
import { summarizeInsiderActivity } from "../../src/edgar/forms/ownership.js";
import type { QuarterHoldings } from "../../src/edgar/holdings/thirteen-f-reader.js";
import { cleanFilingText, fenceFilingText } from "../../src/edgar/untrusted.js";
import { defineTool, READ_ONLY_OPEN_WORLD } from "../spec.js";
import { asOfInput, asOfOut, asOfShape, companyInput, companyLabel, companyOut, companyShape, isoDateInput } from "./shapes.js";

const holdingShape = z.object({
  nameOfIssuer: z.string(),
  titleOfClass: z.string(),
  cusip: z.string(),
  value: z.number().describe("Market value in dollars (converted from thousands when the filing used thousands)"),
  shares: z.number().describe("Shares, or principal amount for PRN rows"),
  shareType: z.enum(["SH", "PRN"]),
  putCall: z.enum(["PUT", "CALL"]).nullable(),
  weight: z.number().describe("Share of the reported portfolio value"),
});

const quarterShape = z.object({
  period: z.string().describe("Quarter end, YYYY-MM-DD"),
  filerName: z.string(),
  totalValue: z.number(),
  positions: z.number().int(),
  filings: z.array(
    z.object({
      accessionNumber: z.string(),
      form: z.string(),
      filed: z.string(),
      url: z.string(),
      amendmentType: z.string().nullable(),
      valueUnit: z.enum(["dollars", "thousands"]),
      valueUnitReason: z.string(),
      valueUnitConfidence: z.enum(["high", "medium", "low"]),
      rows: z.number().int(),
      statedEntries: z.number().nullable(),
    }),
  ),
});

function quarterOut(q: QuarterHoldings): z.input<typeof quarterShape> {
  return {
    period: q.period,
    filerName: q.filerName,
    totalValue: q.totalValue,
    positions: q.holdings.length,
    filings: q.filings.map((f) => ({
      accessionNumber: f.accessionNumber,
      form: f.form,
      filed: f.filingDate,
      url: f.url,
      amendmentType: f.amendmentType ?? null,
      valueUnit: f.unit.unit,
      valueUnitReason: f.unit.reason,
      valueUnitConfidence: f.unit.confidence,
      rows: f.rows,
      statedEntries: f.statedEntries ?? null,
    })),
  };
}

export const get13FHoldings = defineTool({
  name: "get_13f_holdings",
  title: "13F holdings of an institutional manager",
  description:
    "An institutional investment manager's 13F-HR holdings for a quarter (latest filed on or before asOf by default), with amendments applied (restatements replace, new-holdings amendments add), " +
    "values in dollars (the thousands-vs-dollars unit is decided per filing from implied prices, the stated total and the period), and the changes since the manager's previous quarter: new, closed, increased, decreased positions. " +
    "Give the manager's CIK (e.g. 1067983 for Berkshire Hathaway) or ticker.",
  input: z.object({
    filer: companyInput.describe("The manager's CIK (or a ticker if it has one)"),
    period: isoDateInput.optional().describe("Quarter end, e.g. 2023-09-30; default the latest filed"),
    limit: z.number().int().min(1).max(500).default(25).describe("Largest N positions and N largest changes"),
    asOf: asOfInput,
  }),
  output: z.object({
    filer: companyShape,
    ...asOfShape,
    current: quarterShape,
    previous: quarterShape.nullable(),
    holdings: z.array(holdingShape),
    changes: z.array(
      z.object({
        cusip: z.string(),
        nameOfIssuer: z.string(),
        putCall: z.enum(["PUT", "CALL"]).nullable(),
        change: z.enum(["new", "closed", "increased", "decreased", "unchanged"]),
        prevShares: z.number(),
        currShares: z.number(),
        sharesPctChange: z.number().nullable(),
        prevValue: z.number(),
        currValue: z.number(),
      }),
    ),
    changeCounts: z.object({ new: z.number().int(), closed: z.number().int(), increased: z.number().int(), decreased: z.number().int(), unchanged: z.number().int() }),
    periodsAvailable: z.array(z.string()),
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const r = await app.edgar.holdings13F(input.filer, { ...(input.asOf ? { asOf: input.asOf } : {}), ...(input.period ? { period: input.period } : {}) });
    const { current, previous, changes = [] } = r.result;
    const total = current.totalValue;
    const counts = { new: 0, closed: 0, increased: 0, decreased: 0, unchanged: 0 };
    for (const c of changes) counts[c.change] += 1;
    return {
      filer: companyOut({ ...r.company, name: r.company.name || current.filerName }),
      ...asOfOut(r),
      current: quarterOut(current),
      previous: previous ? quarterOut(previous) : null,
      holdings: current.holdings.slice(0, input.limit).map((h) => ({
        nameOfIssuer: h.nameOfIssuer,
        titleOfClass: h.titleOfClass,
        cusip: h.cusip,
        value: h.value,
        shares: h.shares,
        shareType: h.shareType,
        putCall: h.putCall ?? null,
        weight: total > 0 ? h.value / total : 0,
      })),
      changes: changes
        .filter((c) => c.change !== "unchanged")
        .slice(0, input.limit)
        .map((c) => ({
          cusip: c.cusip,
          nameOfIssuer: c.nameOfIssuer,
          putCall: c.putCall ?? null,
          change: c.change,
          prevShares: c.prevShares,
          currShares: c.currShares,
          sharesPctChange: c.sharesPctChange ?? null,
          prevValue: c.prevValue,
          currValue: c.currValue,
        })),
      changeCounts: counts,
      periodsAvailable: r.result.periodsAvailable,
    };
  },
  summarize(o) {
    const f = o.current.filings.map((x) => `${x.form} ${x.accessionNumber} filed ${x.filed} (values in ${x.valueUnit}, ${x.valueUnitConfidence} confidence)`).join("; ");
    const head = `13F holdings of ${companyLabel(o.filer)} for the quarter ending ${o.current.period}: ${o.current.positions} positions worth ${formatMoney(o.current.totalValue)}. From ${f}.`;
    const holdings = textTable(
      ["Issuer", "Class", "CUSIP", "Value", "Shares", "Weight"],
      o.holdings.map((h) => [cleanFilingText(h.nameOfIssuer), cleanFilingText(h.titleOfClass), h.cusip, formatMoney(h.value), `${formatNumber(h.shares, 0)}${h.putCall ? ` ${h.putCall}` : ""}`, `${(h.weight * 100).toFixed(1)}%`]),
    );
    let text = `${head}\n${fenceFilingText(`13F information table, ${o.current.period}`, holdings)}`;
    if (o.previous) {
      const c = o.changeCounts;
      text += `\nSince ${o.previous.period}: ${c.new} new, ${c.closed} closed, ${c.increased} increased, ${c.decreased} decreased, ${c.unchanged} unchanged.`;
      if (o.changes.length) {
        text += `\n${textTable(
          ["Issuer", "Change", "Shares before", "Shares after", "Value after"],
          o.changes.map((x) => [cleanFilingText(x.nameOfIssuer), x.change, formatNumber(x.prevShares, 0), formatNumber(x.currShares, 0), formatMoney(x.currValue)]),
        )}`;
      }
    } else text += "\nNo earlier 13F-HR on file to compare with.";
    return text;
  },
});

const transactionShape = z.object({
  date: z.string().nullable(),
  owners: z.array(z.object({ cik: z.string(), name: z.string(), relationship: z.string() })),
  code: z.string(),
  codeMeaning: z.string(),
  openMarket: z.boolean(),
  table: z.enum(["nonDerivative", "derivative"]),
  securityTitle: z.string(),
  acquiredDisposed: z.enum(["A", "D"]).nullable(),
  shares: z.number().nullable(),
  pricePerShare: z.number().nullable(),
  value: z.number().nullable().describe("shares × price, or the reported total value"),
  sharesOwnedAfter: z.number().nullable(),
  directOrIndirect: z.enum(["D", "I"]).nullable(),
  footnotes: z.array(z.string()).describe("Footnote texts as filed (untrusted text)"),
  form: z.string(),
  accessionNumber: z.string(),
  filed: z.string(),
  url: z.string(),
});

export const getInsiderTransactions = defineTool({
  name: "get_insider_transactions",
  title: "Insider transactions (Forms 3/4/5)",
  description:
    "Insider transactions in a company's stock from its Form 3, 4 and 5 filings: who (name, director/officer/10% owner), what (SEC transaction code with its meaning — P open-market buy, S sale, A award, M option exercise, F tax withholding, G gift …), " +
    "how many shares at what price, holdings after, derivative and non-derivative tables, footnotes, and a summary of net open-market buying (P minus S) with distinct buyers and sellers. Point in time: nothing filed after asOf.",
  input: z.object({
    company: companyInput,
    from: isoDateInput.optional().describe("Earliest filing date; default one year before `to`"),
    to: isoDateInput.optional().describe("Latest filing date; default asOf"),
    codes: z.array(z.string().regex(/^[A-Z]$/)).max(20).optional().describe('Only these transaction codes, e.g. ["P","S"]'),
    maxFilings: z.number().int().min(1).max(200).default(60).describe("Ownership filings to read, newest first (each is one SEC request the first time)"),
    limit: z.number().int().min(1).max(1000).default(100),
    asOf: asOfInput,
  }),
  output: z.object({
    company: companyShape,
    ...asOfShape,
    from: z.string(),
    to: z.string(),
    filingsRead: z.number().int(),
    filingsTruncated: z.boolean().describe("More ownership filings matched than maxFilings"),
    skipped: z.array(z.object({ accessionNumber: z.string(), reason: z.string() })),
    summary: z.object({
      buys: z.object({ count: z.number().int(), shares: z.number(), value: z.number() }),
      sells: z.object({ count: z.number().int(), shares: z.number(), value: z.number() }),
      netShares: z.number(),
      netValue: z.number(),
      distinctBuyers: z.number().int(),
      distinctSellers: z.number().int(),
      countsByCode: z.record(z.string(), z.number().int()),
    }),
    transactions: z.array(transactionShape),
    total: z.number().int(),
  }),
  annotations: READ_ONLY_OPEN_WORLD,
  async run(input, { app }) {
    const r = await app.edgar.insiderTransactions(input.company, {
      maxFilings: input.maxFilings,
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
      ...(input.asOf ? { asOf: input.asOf } : {}),
    });
    const codes = input.codes ? new Set(input.codes) : undefined;
    const txs = r.result.transactions.filter((t) => !codes || codes.has(t.code));
    const s = summarizeInsiderActivity(txs);
    return {
      company: companyOut(r.company),
      ...asOfOut(r),
      from: r.from,
      to: r.to,
      filingsRead: r.result.filingsRead,
      filingsTruncated: r.result.truncated,
      skipped: r.result.skipped,
      summary: { buys: s.buys, sells: s.sells, netShares: s.netShares, netValue: s.netValue, distinctBuyers: s.distinctBuyers, distinctSellers: s.distinctSellers, countsByCode: s.countsByCode },
      transactions: txs.slice(0, input.limit).map((t) => ({
        date: t.date ?? null,
        owners: t.owners,
        code: t.code,
        codeMeaning: t.codeMeaning,
        openMarket: t.openMarket,
        table: t.table,
        securityTitle: t.securityTitle,
        acquiredDisposed: t.acquiredDisposed ?? null,
        shares: t.shares ?? null,
        pricePerShare: t.pricePerShare ?? null,
        value: t.totalValue ?? (t.shares !== undefined && t.pricePerShare !== undefined ? t.shares * t.pricePerShare : null),
        sharesOwnedAfter: t.sharesOwnedAfter ?? null,
        directOrIndirect: t.directOrIndirect ?? null,
        footnotes: t.footnotes.map((f) => f.text).filter((x): x is string => x !== undefined),
        form: t.documentType,
        accessionNumber: t.accessionNumber,
        filed: t.filingDate,
        url: t.url,
      })),
      total: txs.length,
    };
  },
  summarize(o) {
    const s = o.summary;
    const head =
      `Insider transactions in ${companyLabel(o.company)} filed ${o.from} to ${o.to} (${o.filingsRead} filings read${o.filingsTruncated ? ", more exist: raise maxFilings" : ""}): ` +
      `open-market buys ${s.buys.count} (${formatNumber(s.buys.shares, 0)} sh, ${formatMoney(s.buys.value)}) by ${s.distinctBuyers} insider(s); sells ${s.sells.count} (${formatNumber(s.sells.shares, 0)} sh, ${formatMoney(s.sells.value)}) by ${s.distinctSellers}; ` +
      `net ${formatMoney(s.netValue)}.${o.skipped.length ? ` ${o.skipped.length} filing(s) could not be read.` : ""}`;
    if (o.transactions.length === 0) return head;
    const rows = o.transactions.map((t) => [
      t.date ?? "",
      t.owners.map((w) => w.name).join(" & "),
      t.owners[0]?.relationship ?? "",
      `${t.code} ${t.codeMeaning}`.slice(0, 40),
      t.shares === null ? "" : `${t.acquiredDisposed === "D" ? "-" : "+"}${formatNumber(t.shares, 0)}`,
      t.pricePerShare === null ? "" : t.pricePerShare.toFixed(2),
      t.accessionNumber,
    ]);
    const table = textTable(["Date", "Insider", "Role", "Transaction", "Shares", "Price", "Accession"], rows, { align: ["left", "left", "left", "left", "right", "right", "left"] });
    const notes = o.transactions.flatMap((t) => t.footnotes.map((f) => `${t.accessionNumber}: ${f}`)).slice(0, 10);
    return `${head}\n${fenceFilingText(`Forms 3/4/5 of ${o.company.name}`, notes.length ? `${table}\nFootnotes:\n${notes.join("\n")}` : table)}`;
  },
});
