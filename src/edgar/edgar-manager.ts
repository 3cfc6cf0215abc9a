/**
 * EdgarManager: everything Argus knows from SEC EDGAR, point in time. Tools call this;
 * it composes the client (cache, rate limit), identity, submissions, the companyfacts
 * worker, and the 13F / ownership readers. Every answer is "as of" a date no later than
 * the Clock's today, and carries the filings it came from.
 */
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { earlierDate, effectiveAsOf, type EffectiveAsOf } from "./as-of.js";
import { isEdgarError } from "./client/errors.js";
import type { SecClient } from "./client/sec-client.js";
import { FactsEngine, type FactsSource } from "./facts/facts-engine.js";
import { ThirteenFReader, type ThirteenFResult } from "./holdings/thirteen-f-reader.js";
import type { CompanyMatch, CompanyRef } from "./identity/tickers.js";
import { TickerDirectory } from "./identity/tickers.js";
import { InsiderReader, type InsiderFilingsResult } from "./insiders/insider-reader.js";
import type { ConceptHistory, PeriodKind, Statement, StatementKind } from "./statements/index.js";
import type { FactorReport } from "./factors/index.js";
import type { PriceLookup } from "./price-at.js";
import { filingSignals, type FilingSignalsResult } from "./signals/signals.js";
import { Submissions, type CompanyProfile, type FilingsQuery, type FilingsResult } from "./submissions/submissions.js";
import { dayNumber, isoDate } from "../data/calendar/dates.js";

export interface EdgarManagerOptions {
  /** Parse companyfacts in a worker thread (default true). */
  worker?: boolean;
  /** Parsed companies kept in memory (default 4). */
  cachedCompanies?: number;
  /** Where valuation factors get a price; without it they are null with a note. */
  prices?: PriceLookup;
}

export interface Company {
  cik: string;
  name: string;
  ticker: string | undefined;
}

export interface StatementRequest {
  kind: StatementKind;
  period: PeriodKind;
  limit?: number;
  asOf?: string;
  /** Only the column(s) of this fiscal year. */
  fiscalYear?: number;
}

export class EdgarManager {
  readonly tickers: TickerDirectory;
  readonly submissions: Submissions;
  private readonly facts: FactsEngine;
  private readonly thirteenF: ThirteenFReader;
  private readonly insiders: InsiderReader;

  constructor(
    readonly sec: SecClient,
    private readonly clock: Clock,
    logger: Logger,
    private readonly opts: EdgarManagerOptions = {},
  ) {
    this.tickers = new TickerDirectory(sec, clock);
    this.submissions = new Submissions(sec);
    this.facts = new FactsEngine(sec, logger, { worker: opts.worker ?? true, ...(opts.cachedCompanies ? { maxCompanies: opts.cachedCompanies } : {}) });
    this.thirteenF = new ThirteenFReader(sec, this.submissions);
    this.insiders = new InsiderReader(sec, this.submissions);
  }

  close(): void {
    this.facts.close();
  }

  /** The date an answer is for (see effectiveAsOf). */
  asOf(requested?: string): EffectiveAsOf {
    return effectiveAsOf(this.clock, requested);
  }

  searchCompanies(query: string, limit: number): Promise<CompanyMatch[]> {
    return this.tickers.search(query, limit);
  }

  /**
   * A ticker or CIK → the company. A CIK without a listed ticker (a fund manager filing
   * 13F, a private issuer) is still a company: its name comes from its submissions.
   */
  async company(input: string): Promise<Company> {
    try {
      return toCompany(await this.tickers.resolve(input));
    } catch (e) {
      if (!isEdgarError(e, "UNKNOWN_COMPANY") || typeof e.details?.cik !== "string") throw e;
      const cik = e.details.cik; // a well-formed CIK the ticker list lacks
      const profile = await this.submissions.companyProfile(cik);
      return { cik, name: profile.name, ticker: profile.tickers[0] };
    }
  }

  async profile(input: string): Promise<CompanyProfile> {
    const { cik } = await this.company(input);
    return this.submissions.companyProfile(cik);
  }

  /** Filings newest first, never past the as-of date. */
  async filings(input: string, query: FilingsQuery & { asOf?: string }): Promise<FilingsResult & EffectiveAsOf> {
    const { cik } = await this.company(input);
    const when = this.asOf(query.asOf);
    if (query.from !== undefined && query.from > when.asOf) {
      throw new ArgusError("INVALID_RANGE", `from (${query.from}) is after the as-of date ${when.asOf}; nothing filed later can be shown.`);
    }
    const result = await this.submissions.filings(cik, { ...query, to: earlierDate(query.to, when.asOf) });
    return { ...result, ...when };
  }

  async statement(input: string, req: StatementRequest): Promise<{ company: Company; statement: Statement; source: FactsSource } & EffectiveAsOf> {
    const company = await this.company(input);
    const when = this.asOf(req.asOf);
    // Build every column first when one fiscal year is asked for, then keep that year's.
    const opts = { kind: req.kind, period: req.period, asOf: when.asOf, ...(req.fiscalYear === undefined && req.limit !== undefined ? { limit: req.limit } : {}) };
    const { result, source } = await this.facts.query<Statement>(company.cik, { kind: "statement", opts });
    let statement = result;
    if (req.fiscalYear !== undefined) statement = onlyFiscalYear(statement, req.fiscalYear, company, when.asOf);
    if (statement.columns.length === 0) {
      throw new ArgusError("NO_DATA", `${company.name} has no ${req.period} ${req.kind} statement in its XBRL facts filed on or before ${when.asOf}.`, { cik: company.cik, asOf: when.asOf });
    }
    return { company, statement, source, ...when };
  }

  async concept(input: string, tag: string, opts: { taxonomy?: string; unit?: string; asOf?: string }): Promise<{ company: Company; history: ConceptHistory; source: FactsSource } & EffectiveAsOf> {
    const company = await this.company(input);
    const when = this.asOf(opts.asOf);
    const q = { kind: "concept" as const, tag, opts: { asOf: when.asOf, ...(opts.taxonomy ? { taxonomy: opts.taxonomy } : {}), ...(opts.unit ? { unit: opts.unit } : {}) } };
    const { result, source } = await this.facts.query<ConceptHistory>(company.cik, q);
    return { company, history: result, source, ...when };
  }

  async holdings13F(input: string, opts: { asOf?: string; period?: string }): Promise<{ company: Company; result: ThirteenFResult } & EffectiveAsOf> {
    const company = await this.company(input);
    const when = this.asOf(opts.asOf);
    const result = await this.thirteenF.holdings(company.cik, { asOf: when.asOf, ...(opts.period ? { period: opts.period } : {}) });
    return { company, result, ...when };
  }

  /** Form 3/4/5 transactions filed from `from` (default: one year before `to`) to `to` (default and ceiling: asOf). */
  async insiderTransactions(input: string, opts: { from?: string; to?: string; asOf?: string; maxFilings: number }): Promise<{ company: Company; result: InsiderFilingsResult; from: string; to: string } & EffectiveAsOf> {
    const company = await this.company(input);
    const when = this.asOf(opts.asOf);
    const to = earlierDate(opts.to, when.asOf);
    const from = opts.from ?? isoDate(dayNumber(to) - 365);
    if (from > to) throw new ArgusError("INVALID_RANGE", `from (${from}) is after ${to}.`);
    const result = await this.insiders.transactions(company.cik, { from, to, maxFilings: opts.maxFilings });
    return { company, result, from, to, ...when };
  }

  /**
   * Fundamental factors at the as-of date, annual or trailing twelve months; valuation
   * uses the close of `symbol` (default: the company's ticker) on or before that date.
   */
  async factors(input: string, req: { basis: "annual" | "ttm"; asOf?: string; symbol?: string }): Promise<{ company: Company; report: FactorReport; source: FactsSource } & EffectiveAsOf> {
    const company = await this.company(input);
    const when = this.asOf(req.asOf);
    const symbol = req.symbol ?? company.ticker;
    const lookup = symbol && this.opts.prices ? this.opts.prices(symbol, when.asOf) : { missing: `${company.name} has no ticker to price it by; pass symbol.` };
    const opts = { basis: req.basis, asOf: when.asOf, ...("missing" in lookup ? { missingPriceNote: lookup.missing } : { price: lookup }) };
    const { result, source } = await this.facts.query<FactorReport>(company.cik, { kind: "factors", opts });
    return { company, report: result, source, ...when };
  }

  /** Late filings, amendments and restatements, notable 8-K items and insider clusters in a window ending at asOf. */
  async signals(input: string, req: SignalsRequest): Promise<{ company: Company; result: FilingSignalsResult; insiders?: InsiderFilingsResult } & EffectiveAsOf> {
    const company = await this.company(input);
    const when = this.asOf(req.asOf);
    const asOfDay = dayNumber(when.asOf);
    const windowStart = isoDate(asOfDay - req.windowDays);
    const listed = await this.submissions.filings(company.cik, { from: isoDate(asOfDay - req.windowDays - SIGNAL_LOOKBACK_DAYS), to: when.asOf, limit: 10_000 });
    const insiders = req.includeInsiders
      ? await this.insiders.transactions(company.cik, { from: windowStart, to: when.asOf, maxFilings: req.maxInsiderFilings })
      : undefined;
    const result = filingSignals({ filings: listed.filings, insiderTransactions: insiders?.transactions, asOf: when.asOf, windowDays: req.windowDays });
    return { company, result, ...(insiders ? { insiders } : {}), ...when };
  }
}

/**
 * Linking filings needs history before the window: a 10-K/A is a restatement when an
 * 8-K item 4.02 came up to a year before it, and repeated late notices count the prior year.
 */
const SIGNAL_LOOKBACK_DAYS = 400;

export interface SignalsRequest {
  asOf?: string;
  windowDays: number;
  includeInsiders: boolean;
  maxInsiderFilings: number;
}

function toCompany(ref: CompanyRef): Company {
  return { cik: ref.cik, name: ref.name, ticker: ref.ticker };
}

function onlyFiscalYear(s: Statement, fiscalYear: number, company: Company, asOf: string): Statement {
  const keep = s.columns.map((c, i) => (c.fiscalYear === fiscalYear ? i : -1)).filter((i) => i >= 0);
  if (keep.length === 0) {
    const years = [...new Set(s.columns.map((c) => c.fiscalYear))];
    const range = years.length ? `${Math.min(...years)}–${Math.max(...years)}` : "none";
    throw new ArgusError("NO_DATA", `${company.name} has no FY${fiscalYear} ${s.period} ${s.kind} statement filed on or before ${asOf} (fiscal years available: ${range}).`, { fiscalYear, asOf });
  }
  return { ...s, columns: keep.map((i) => s.columns[i]!), rows: s.rows.map((r) => ({ ...r, values: keep.map((i) => r.values[i] ?? null) })) };
}
