import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import type { EffectiveAsOf } from "../../src/edgar/as-of.js";
import type { Company } from "../../src/edgar/edgar-manager.js";

/** Input and output pieces shared by the EDGAR tools, and the functions that fill them. */

export const companyInput = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .describe('Ticker (e.g. "AAPL", "BRK.B") or SEC CIK (e.g. "320193" or "0000320193")');

export const isoDateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2023-06-30");

export const asOfInput = isoDateInput
  .optional()
  .describe("Answer as of this date (YYYY-MM-DD): only facts and filings filed on or before it. Default and maximum: the clock's today");

export const companyShape = z.object({
  cik: z.string().describe("10-digit SEC Central Index Key"),
  name: z.string(),
  ticker: z.string().nullable(),
});

export function companyOut(c: Company): z.input<typeof companyShape> {
  return { cik: c.cik, name: c.name, ticker: c.ticker ?? null };
}

export const asOfShape = {
  asOf: z.string().describe("Nothing filed after this date is used (YYYY-MM-DD)"),
  asOfRequested: z.string().optional().describe("Set when the asked-for date was later than the clock's today and was cut back"),
};

export function asOfOut(w: EffectiveAsOf): { asOf: string; asOfRequested?: string } {
  return w.requested === undefined ? { asOf: w.asOf } : { asOf: w.asOf, asOfRequested: w.requested };
}

export const secSourceShape = z.object({
  url: z.string().describe("The SEC URL the data came from"),
  fetchedAt: z.string().describe("When it was fetched or last confirmed current"),
  fromCache: z.boolean(),
  stale: z.boolean().describe("True when the SEC could not be reached and an older cached copy was used"),
});

export function secSourceOut(s: { url: string; fetchedAt: number; fromCache: boolean; stale: boolean }): z.input<typeof secSourceShape> {
  return { url: publicUrl(s.url), fetchedAt: toExchangeIso(s.fetchedAt), fromCache: s.fromCache, stale: s.stale };
}

/**
 * The client may fetch from a mirror or a local test server; links shown to people point
 * at the SEC's own hosts, with the same path.
 */
export function publicUrl(url: string): string {
  const m = /^https?:\/\/[^/]+(\/.*)$/.exec(url);
  if (!m) return url;
  const path = m[1] as string;
  if (/^\/(submissions|api\/xbrl)\//.test(path)) return `https://data.sec.gov${path}`;
  return `https://www.sec.gov${path}`;
}

export const filingRefShape = z.object({
  accessionNumber: z.string(),
  form: z.string(),
  filed: z.string().describe("Filing date, YYYY-MM-DD"),
  url: z.string().describe("The filing's index page on sec.gov"),
});

/** "Apple Inc. (AAPL, CIK 0000320193)" */
export function companyLabel(c: { name: string; ticker: string | null | undefined; cik: string }): string {
  return `${c.name} (${c.ticker ? `${c.ticker}, ` : ""}CIK ${c.cik})`;
}
