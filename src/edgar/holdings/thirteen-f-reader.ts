/**
 * A filer's 13F-HR holdings for a quarter, as known on a date: the original report with
 * its amendments applied in filing order (RESTATEMENT replaces, NEW HOLDINGS adds), the
 * value unit decided per filing, and the change from the filer's previous quarter.
 */
import { ArgusError } from "../../core/errors.js";
import type { SecClient } from "../client/sec-client.js";
import { fullTextPath } from "../forms/archive-paths.js";
import {
  applyAmendment,
  decideValueUnit,
  extractInformationTableFromSubmission,
  normalizeHoldings,
  parseInformationTable,
  parsePrimaryDocument,
  quarterOverQuarter,
  type NormalizedHolding,
  type PositionDelta,
  type ThirteenFPrimaryDocument,
  type ThirteenFReport,
  type ValueUnitDecision,
} from "../forms/thirteen-f.js";
import type { Filing, Submissions } from "../submissions/submissions.js";

export const THIRTEEN_F_FORMS = ["13F-HR", "13F-HR/A"];

export interface ThirteenFFilingUsed {
  accessionNumber: string;
  form: string;
  filingDate: string;
  url: string;
  amendmentType?: string;
  unit: ValueUnitDecision;
  rows: number;
  /** Rows and value total the filer states on its summary page, when given. */
  statedEntries?: number;
  statedValueTotal?: number;
}

export interface QuarterHoldings {
  period: string;
  filerName: string;
  holdings: NormalizedHolding[];
  totalValue: number;
  filings: ThirteenFFilingUsed[];
}

export interface ThirteenFResult {
  cik: string;
  current: QuarterHoldings;
  previous?: QuarterHoldings;
  changes?: PositionDelta[];
  /** Periods with a 13F-HR on or before asOf, newest first. */
  periodsAvailable: string[];
}

interface Parsed {
  filing: Filing;
  primary: ThirteenFPrimaryDocument | undefined;
  report: ThirteenFReport<NormalizedHolding>;
  used: ThirteenFFilingUsed;
}

export class ThirteenFReader {
  constructor(
    private readonly sec: SecClient,
    private readonly submissions: Submissions,
  ) {}

  async holdings(cik: string, opts: { asOf: string; period?: string }): Promise<ThirteenFResult> {
    const { filings } = await this.submissions.filings(cik, { forms: THIRTEEN_F_FORMS, to: opts.asOf, limit: 400 });
    const byPeriod = new Map<string, Filing[]>();
    for (const f of filings) {
      if (!f.reportDate) continue;
      const list = byPeriod.get(f.reportDate) ?? [];
      list.push(f);
      byPeriod.set(f.reportDate, list);
    }
    const periods = [...byPeriod.keys()].sort().reverse();
    if (periods.length === 0) {
      throw new ArgusError("NO_DATA", `CIK ${cik} filed no 13F-HR on or before ${opts.asOf}; only institutional managers with over $100M in 13(f) securities file them.`, { cik });
    }
    const period = opts.period ?? (periods[0] as string);
    if (!byPeriod.has(period)) {
      throw new ArgusError("NO_DATA", `CIK ${cik} has no 13F-HR for the quarter ending ${period} filed on or before ${opts.asOf}. Quarters available: ${periods.slice(0, 8).join(", ")}.`, { cik, periods });
    }
    const current = await this.quarter(period, byPeriod.get(period) as Filing[]);
    const prevPeriod = periods.find((p) => p < period);
    const result: ThirteenFResult = { cik, current, periodsAvailable: periods };
    if (prevPeriod) {
      result.previous = await this.quarter(prevPeriod, byPeriod.get(prevPeriod) as Filing[]);
      result.changes = quarterOverQuarter(result.previous.holdings, current.holdings);
    }
    return result;
  }

  /** Original first, then amendments in filing order. */
  private async quarter(period: string, filings: Filing[]): Promise<QuarterHoldings> {
    const ordered = [...filings].sort((a, b) =>
      a.form.endsWith("/A") !== b.form.endsWith("/A") ? (a.form.endsWith("/A") ? 1 : -1) : a.filingDate.localeCompare(b.filingDate) || a.accessionNumber.localeCompare(b.accessionNumber),
    );
    let report: ThirteenFReport<NormalizedHolding> | undefined;
    let filerName = "";
    const used: ThirteenFFilingUsed[] = [];
    for (const filing of ordered) {
      const parsed = await this.read(filing, period);
      used.push(parsed.used);
      filerName ||= parsed.primary?.filer.name ?? "";
      if (!report || !filing.form.endsWith("/A")) {
        report = parsed.report;
        continue;
      }
      // An amendment without a type (rare, older filings) is read as a restatement: it is the filer's latest word.
      report = applyAmendment(report, { ...parsed.report, amendmentType: parsed.report.amendmentType ?? "RESTATEMENT" });
    }
    const holdings = [...(report?.holdings ?? [])].sort((a, b) => b.value - a.value);
    return { period, filerName, holdings, totalValue: holdings.reduce((s, h) => s + h.value, 0), filings: used };
  }

  private async read(filing: Filing, period: string): Promise<Parsed> {
    const res = await this.sec.getText(fullTextPath(filing), { base: "www", ttlMs: Infinity });
    const docs = extractInformationTableFromSubmission(res.data);
    const primary = docs.primaryDocumentXml ? parsePrimaryDocument(docs.primaryDocumentXml) : undefined;
    const rows = docs.informationTableXml ? parseInformationTable(docs.informationTableXml) : [];
    const unitInput: Parameters<typeof decideValueUnit>[0] = { holdings: rows, periodOfReport: primary?.periodOfReport ?? period };
    if (primary?.tableValueTotal !== undefined) unitInput.tableValueTotal = primary.tableValueTotal;
    const unit = decideValueUnit(unitInput);
    const report: ThirteenFReport<NormalizedHolding> = { periodOfReport: period, holdings: normalizeHoldings(rows, unit.unit) };
    if (primary?.amendmentType) report.amendmentType = primary.amendmentType;
    const used: ThirteenFFilingUsed = { accessionNumber: filing.accessionNumber, form: filing.form, filingDate: filing.filingDate, url: filing.indexUrl, unit, rows: rows.length };
    if (primary?.amendmentType) used.amendmentType = primary.amendmentType;
    if (primary?.tableEntryTotal !== undefined) used.statedEntries = primary.tableEntryTotal;
    if (primary?.tableValueTotal !== undefined) used.statedValueTotal = primary.tableValueTotal;
    return { filing, primary, report, used };
  }
}
