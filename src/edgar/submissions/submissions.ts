/**
 * Company profile and filing index from data.sec.gov/submissions/CIK##########.json.
 * `filings.recent` holds the latest ~1,000 filings as parallel arrays; older ones sit
 * in overflow pages listed in `filings.files` (/submissions/<name>), each holding the
 * same parallel arrays at top level. Values may be "", null, or (in some collected
 * copies) the string "None"; all three read as absent. Unknown keys are ignored.
 */
import { ArgusError } from "../../core/errors.js";
import type { SecClient } from "../client/sec-client.js";
import { EdgarError } from "../client/errors.js";
import { padCik } from "../identity/tickers.js";

export const SUBMISSIONS_TTL_MS = 60 * 60 * 1000;
/** Public links are always to www.sec.gov, whatever host the client fetches from. */
export const SEC_WWW = "https://www.sec.gov";

export interface FormerName {
  name: string;
  /** ISO dates (YYYY-MM-DD) or null. */
  from: string | null;
  to: string | null;
}

export interface Address {
  street1: string | null;
  street2: string | null;
  city: string | null;
  stateOrCountry: string | null;
  zipCode: string | null;
  stateOrCountryDescription: string | null;
}

export interface CompanyProfile {
  cik: string;
  name: string;
  tickers: string[];
  exchanges: string[];
  entityType: string | null;
  sic: string | null;
  sicDescription: string | null;
  /** MMDD, e.g. "0926" for Apple, "1231" for calendar-year filers. */
  fiscalYearEnd: string | null;
  stateOfIncorporation: string | null;
  stateOfIncorporationDescription: string | null;
  category: string | null;
  ein: string | null;
  phone: string | null;
  website: string | null;
  formerNames: FormerName[];
  addresses: { mailing: Address | null; business: Address | null };
  /** Where the data came from and when. */
  source: { url: string; fetchedAt: number; fromCache: boolean; stale: boolean };
}

export interface Filing {
  /** "0000320193-23-000106" */
  accessionNumber: string;
  form: string;
  /** YYYY-MM-DD */
  filingDate: string;
  reportDate: string | null;
  acceptanceDateTime: string | null;
  act: string | null;
  fileNumber: string | null;
  filmNumber: string | null;
  items: string | null;
  size: number | null;
  isXBRL: boolean;
  isInlineXBRL: boolean;
  primaryDocument: string | null;
  primaryDocDescription: string | null;
  /** https://www.sec.gov/Archives/edgar/data/<cik>/<accession no dashes>/<accession>-index.htm */
  indexUrl: string;
  /** The primary document, or null when the filing names none. */
  primaryDocumentUrl: string | null;
  /** The filing folder as a SEC path, for SecClient (base "www"): /Archives/edgar/data/<cik>/<acc>/ */
  folderPath: string;
}

export interface FilingsQuery {
  /** Exact form types, case-insensitive ("10-K" does not include "10-K/A"). */
  forms?: string[] | undefined;
  /** Inclusive filing-date bounds, YYYY-MM-DD. */
  from?: string | undefined;
  to?: string | undefined;
  /** Default 100, at most 10,000. */
  limit?: number | undefined;
}

export interface FilingsResult {
  cik: string;
  name: string;
  filings: Filing[];
  /** Filings that matched before `limit` cut the list, or a lower bound when pages were skipped. */
  matched: number;
  truncated: boolean;
  /** Overflow pages read (names), in the order fetched. */
  pagesRead: string[];
}

type Json = Record<string, unknown>;

function isObj(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** "", null, undefined and the string "None" → null; other strings trimmed. */
function str(x: unknown): string | null {
  if (x === null || x === undefined) return null;
  if (typeof x === "number" && Number.isFinite(x)) return String(x);
  if (typeof x !== "string") return null;
  const s = x.trim();
  return s === "" || s === "None" || s === "null" ? null : s;
}

function num(x: unknown): number | null {
  if (typeof x === "number") return Number.isFinite(x) ? x : null;
  const s = str(x);
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function bool(x: unknown): boolean {
  return x === 1 || x === true || x === "1" || x === "true";
}

function strList(x: unknown): string[] {
  return Array.isArray(x) ? x.map(str).filter((s): s is string => s !== null) : [];
}

function isoDate(x: unknown): string | null {
  const s = str(x);
  if (!s) return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  return m ? (m[1] as string) : null;
}

function address(x: unknown): Address | null {
  if (!isObj(x)) return null;
  return {
    street1: str(x.street1),
    street2: str(x.street2),
    city: str(x.city),
    stateOrCountry: str(x.stateOrCountry),
    zipCode: str(x.zipCode),
    stateOrCountryDescription: str(x.stateOrCountryDescription),
  };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(name: string, d: string | undefined): string | undefined {
  if (d === undefined) return undefined;
  if (!DATE_RE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
    throw new ArgusError("INVALID_INPUT", `${name} must be a date like 2023-11-03 (got "${d}").`);
  }
  return d;
}

function submissionsPath(cik: string): string {
  return `/submissions/CIK${cik}.json`;
}

/** Filing rows from a block of parallel arrays (`filings.recent` or an overflow page). */
export function parseFilingColumns(block: unknown, cik: string): Filing[] {
  if (!isObj(block)) return [];
  const col = (k: string): unknown[] => (Array.isArray(block[k]) ? (block[k] as unknown[]) : []);
  const acc = col("accessionNumber");
  const cols = {
    filingDate: col("filingDate"),
    reportDate: col("reportDate"),
    acceptanceDateTime: col("acceptanceDateTime"),
    act: col("act"),
    form: col("form"),
    fileNumber: col("fileNumber"),
    filmNumber: col("filmNumber"),
    items: col("items"),
    size: col("size"),
    isXBRL: col("isXBRL"),
    isInlineXBRL: col("isInlineXBRL"),
    primaryDocument: col("primaryDocument"),
    primaryDocDescription: col("primaryDocDescription"),
  };
  const cikNoZeros = String(Number(cik));
  const out: Filing[] = [];
  for (let i = 0; i < acc.length; i++) {
    const accession = str(acc[i]);
    const form = str(cols.form[i]);
    const filingDate = isoDate(cols.filingDate[i]);
    if (!accession || !/^\d{10}-\d{2}-\d{6}$/.test(accession) || !form || !filingDate) continue;
    const folderPath = `/Archives/edgar/data/${cikNoZeros}/${accession.replace(/-/g, "")}/`;
    const primaryDocument = str(cols.primaryDocument[i]);
    out.push({
      accessionNumber: accession,
      form,
      filingDate,
      reportDate: isoDate(cols.reportDate[i]),
      acceptanceDateTime: str(cols.acceptanceDateTime[i]),
      act: str(cols.act[i]),
      fileNumber: str(cols.fileNumber[i]),
      filmNumber: str(cols.filmNumber[i]),
      items: str(cols.items[i]),
      size: num(cols.size[i]),
      isXBRL: bool(cols.isXBRL[i]),
      isInlineXBRL: bool(cols.isInlineXBRL[i]),
      primaryDocument,
      primaryDocDescription: str(cols.primaryDocDescription[i]),
      indexUrl: `${SEC_WWW}${folderPath}${accession}-index.htm`,
      primaryDocumentUrl: primaryDocument ? `${SEC_WWW}${folderPath}${primaryDocument}` : null,
      folderPath,
    });
  }
  return out;
}

interface OverflowPage {
  name: string;
  filingFrom: string | null;
  filingTo: string | null;
  filingCount: number | null;
}

function newestFirst(a: Filing, b: Filing): number {
  if (a.filingDate !== b.filingDate) return a.filingDate < b.filingDate ? 1 : -1;
  const ta = a.acceptanceDateTime ?? "";
  const tb = b.acceptanceDateTime ?? "";
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.accessionNumber < b.accessionNumber ? 1 : a.accessionNumber > b.accessionNumber ? -1 : 0;
}

export class Submissions {
  constructor(private readonly sec: SecClient) {}

  private async load(cikInput: string | number): Promise<{ cik: string; doc: Json; url: string; fetchedAt: number; fromCache: boolean; stale: boolean }> {
    const cik = padCik(cikInput);
    const res = await this.sec.getJson<unknown>(submissionsPath(cik), { base: "data", ttlMs: SUBMISSIONS_TTL_MS });
    if (!isObj(res.data)) {
      throw new EdgarError("SEC_BAD_RESPONSE", `${res.url} is not a submissions document (expected a JSON object).`, { url: res.url });
    }
    return { cik, doc: res.data, url: res.url, fetchedAt: res.fetchedAt, fromCache: res.fromCache, stale: res.stale };
  }

  async companyProfile(cikInput: string | number): Promise<CompanyProfile> {
    const { cik, doc, url, fetchedAt, fromCache, stale } = await this.load(cikInput);
    const addresses = isObj(doc.addresses) ? doc.addresses : {};
    const fye = str(doc.fiscalYearEnd);
    return {
      cik,
      name: str(doc.name) ?? "",
      tickers: strList(doc.tickers),
      exchanges: strList(doc.exchanges),
      entityType: str(doc.entityType),
      sic: str(doc.sic),
      sicDescription: str(doc.sicDescription),
      fiscalYearEnd: fye && /^\d{4}$/.test(fye) ? fye : fye && /^\d{3}$/.test(fye) ? `0${fye}` : null,
      stateOfIncorporation: str(doc.stateOfIncorporation),
      stateOfIncorporationDescription: str(doc.stateOfIncorporationDescription),
      category: str(doc.category),
      ein: str(doc.ein),
      phone: str(doc.phone),
      website: str(doc.website),
      formerNames: (Array.isArray(doc.formerNames) ? doc.formerNames : [])
        .filter(isObj)
        .map((f) => ({ name: str(f.name) ?? "", from: isoDate(f.from), to: isoDate(f.to) }))
        .filter((f) => f.name !== ""),
      addresses: { mailing: address(addresses.mailing), business: address(addresses.business) },
      source: { url, fetchedAt, fromCache, stale },
    };
  }

  /**
   * Filings newest first, from `filings.recent` and the overflow pages in `filings.files`,
   * de-duplicated by accession number. Pages entirely outside [from, to], or entirely
   * older than the `limit`-th match already found, are not fetched.
   */
  async filings(cikInput: string | number, query: FilingsQuery = {}): Promise<FilingsResult> {
    const from = checkDate("from", query.from);
    const to = checkDate("to", query.to);
    if (from && to && from > to) throw new ArgusError("INVALID_RANGE", `from (${from}) is after to (${to}).`);
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new ArgusError("LIMIT_TOO_LARGE", `limit must be a whole number from 1 to 10000 (got ${limit}).`);
    }
    const forms = query.forms?.length ? new Set(query.forms.map((f) => f.trim().toUpperCase())) : undefined;
    const keep = (f: Filing) =>
      (!forms || forms.has(f.form.toUpperCase())) && (!from || f.filingDate >= from) && (!to || f.filingDate <= to);

    const { cik, doc } = await this.load(cikInput);
    const filingsObj = isObj(doc.filings) ? doc.filings : {};
    const byAccession = new Map<string, Filing>();
    const add = (rows: Filing[]) => {
      for (const f of rows) if (keep(f) && !byAccession.has(f.accessionNumber)) byAccession.set(f.accessionNumber, f);
    };
    add(parseFilingColumns(filingsObj.recent, cik));

    const pages: OverflowPage[] = (Array.isArray(filingsObj.files) ? filingsObj.files : [])
      .filter(isObj)
      .map((p) => ({ name: str(p.name) ?? "", filingFrom: isoDate(p.filingFrom), filingTo: isoDate(p.filingTo), filingCount: num(p.filingCount) }))
      .filter((p) => /^[A-Za-z0-9._-]+\.json$/.test(p.name))
      .sort((a, b) => ((b.filingTo ?? "9999") < (a.filingTo ?? "9999") ? -1 : 1));
    const pagesRead: string[] = [];
    let skipped = false;
    for (const page of pages) {
      if (from && page.filingTo && page.filingTo < from) continue;
      if (to && page.filingFrom && page.filingFrom > to) continue;
      if (byAccession.size >= limit && page.filingTo) {
        const sorted = [...byAccession.values()].sort(newestFirst);
        const cutoff = sorted[limit - 1];
        if (cutoff && cutoff.filingDate > page.filingTo) {
          skipped = true;
          continue;
        }
      }
      const res = await this.sec.getJson<unknown>(`/submissions/${page.name}`, { base: "data", ttlMs: SUBMISSIONS_TTL_MS });
      // Overflow pages hold the columns at top level; tolerate a { filings: { recent } } wrapper too.
      const data = res.data;
      const block = isObj(data) && isObj(data.filings) && isObj(data.filings.recent) ? data.filings.recent : data;
      add(parseFilingColumns(block, cik));
      pagesRead.push(page.name);
    }

    const all = [...byAccession.values()].sort(newestFirst);
    return {
      cik,
      name: str(doc.name) ?? "",
      filings: all.slice(0, limit),
      matched: all.length,
      truncated: all.length > limit || skipped,
      pagesRead,
    };
  }
}
