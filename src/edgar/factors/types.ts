/** Public types of the fundamental-factor report. */
import type { AllStatements, CompanyFacts } from "../statements/index.js";

export interface PriceInput {
  symbol: string;
  price: number;
  /** ISO instant of the price */
  asOf: string;
  /** where the price came from, e.g. "bars:AAPL 1Day close" */
  source: string;
  synthetic?: boolean;
}

export interface FactorOptions {
  statements: AllStatements;
  facts: CompanyFacts;
  /** YYYY-MM-DD; only facts filed on or before it (statements were built with the same asOf) */
  asOf?: string;
  basis: "annual" | "ttm";
  price?: PriceInput;
  /** Why there is no price, used as the note of price-based factors (e.g. "no price for AAPL in the local database"). */
  missingPriceNote?: string;
}

export type FactorGroup = "profitability" | "growth" | "returns" | "leverage" | "liquidity" | "cashflow" | "valuation";

/**
 * percent: the value is in percent (44.13 means 44.13 %); ratio and multiple: plain
 * quotients (a current ratio of 0.99, a P/E of 30.99); USD, USD/share, shares: amounts.
 */
export type FactorUnit = "ratio" | "percent" | "USD" | "USD/share" | "shares" | "multiple";

export interface FactorPeriod {
  label: string;
  start?: string;
  end: string;
}

/** A reported value a derived input was computed from. */
export interface FactorSource {
  tag: string;
  value: number;
  start?: string;
  end: string;
  accn: string;
  form: string;
  filed: string;
  url: string;
}

export interface FactorInput {
  /** what the value is in the formula, e.g. "revenue", "stockholdersEquity (opening)" */
  name: string;
  value: number;
  period: FactorPeriod;
  /** XBRL tag that supplied the value; for derived values a formula of tags */
  tag: string;
  /** accession number of the filing the value comes from (the first that reported the value in effect) */
  accn: string;
  form: string;
  filed: string;
  /** filing index page on www.sec.gov */
  url: string;
  /** computed (e.g. Q4 = FY − 9M, gross profit = revenue − cost), not reported as such */
  derived?: boolean;
  /** for derived values: the reported values it was computed from */
  derivedFrom?: FactorSource[];
  /** a later filing (on or before asOf) that re-reported the same value */
  latest?: { accn: string; form: string; filed: string };
}

export interface Factor {
  id: string;
  label: string;
  group: FactorGroup;
  value: number | null;
  unit: FactorUnit;
  /** human-readable, e.g. "grossProfit / revenue" */
  formula: string;
  /** the period the value describes, e.g. "FY2023", "FY2023 vs FY2022", "2023-09-30" */
  period: string;
  /** every filed value the factor used (a TTM sum lists each quarter) */
  inputs: FactorInput[];
  /** set on factors that use the market price */
  price?: PriceInput;
  /** why the value is null, or how it was computed when that matters (averages, fallbacks, approximations) */
  note?: string;
}

export interface FactorReport {
  cik: number;
  entityName: string;
  basis: "annual" | "ttm";
  asOf?: string;
  /** the flow period (income and cash-flow statement) the factors describe */
  period: FactorPeriod;
  /** date of the balance sheet used (null when there is none at the period end) */
  balanceDate: string | null;
  currency: string;
  price?: PriceInput;
  factors: Factor[];
  warnings: string[];
}
