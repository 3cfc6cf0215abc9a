/**
 * Insider transactions for an issuer from its Form 3/4/5 filings: the filings come from
 * the issuer's submissions (they are listed under the issuer too), each raw ownership XML
 * is fetched once (Archives never change) and parsed. A filing that cannot be read is
 * reported in `skipped`, not allowed to sink the rest.
 */
import { isArgusError } from "../../core/errors.js";
import type { SecClient } from "../client/sec-client.js";
import { fullTextPath, rawXmlPath } from "../forms/archive-paths.js";
import { parseOwnershipDocument } from "../forms/ownership.js";
import { signalInsiderTransactions, type SignalInsiderTransaction } from "../signals/signals.js";
import type { Filing, Submissions } from "../submissions/submissions.js";

export const OWNERSHIP_FORMS = ["3", "4", "5", "3/A", "4/A", "5/A"];

/** A transaction with the filing it came from and the filing's Rule 10b5-1 box. */
export type FiledInsiderTransaction = SignalInsiderTransaction;

export interface InsiderFilingsResult {
  transactions: FiledInsiderTransaction[];
  filingsRead: number;
  /** More ownership filings matched than were read. */
  truncated: boolean;
  skipped: Array<{ accessionNumber: string; reason: string }>;
}

export class InsiderReader {
  constructor(
    private readonly sec: SecClient,
    private readonly submissions: Submissions,
  ) {}

  async transactions(cik: string, opts: { from?: string; to: string; maxFilings: number }): Promise<InsiderFilingsResult> {
    const listed = await this.submissions.filings(cik, { forms: OWNERSHIP_FORMS, from: opts.from, to: opts.to, limit: opts.maxFilings });
    // Reads go through the shared rate limiter, so starting them together only queues them.
    const results = await Promise.all(listed.filings.map((f) => this.read(f)));
    const out: InsiderFilingsResult = { transactions: [], filingsRead: 0, truncated: listed.truncated, skipped: [] };
    for (const r of results) {
      if ("reason" in r) out.skipped.push(r);
      else {
        out.filingsRead += 1;
        out.transactions.push(...r);
      }
    }
    out.transactions.sort((a, b) => (b.date ?? b.filingDate).localeCompare(a.date ?? a.filingDate) || b.accessionNumber.localeCompare(a.accessionNumber));
    return out;
  }

  private async read(filing: Filing): Promise<FiledInsiderTransaction[] | { accessionNumber: string; reason: string }> {
    try {
      const xml = await this.ownershipXml(filing);
      const doc = parseOwnershipDocument(xml);
      return signalInsiderTransactions(doc, { accessionNumber: filing.accessionNumber, filingDate: filing.filingDate, url: filing.indexUrl });
    } catch (e) {
      if (!isArgusError(e)) throw e;
      // A block or an outage affects every filing: let it fail the call with its own code.
      if (e.code === "SEC_FORBIDDEN" || e.code === "SEC_UNAVAILABLE" || e.code === "SEC_USER_AGENT_REQUIRED") throw e;
      return { accessionNumber: filing.accessionNumber, reason: `${e.code}: ${e.message}` };
    }
  }

  /** The raw XML by name when the filing names it, else the <XML> part of the full text. */
  private async ownershipXml(filing: Filing): Promise<string> {
    const direct = rawXmlPath(filing);
    if (direct) return (await this.sec.getText(direct, { base: "www", ttlMs: Infinity })).data;
    const txt = (await this.sec.getText(fullTextPath(filing), { base: "www", ttlMs: Infinity })).data;
    const m = /<XML>([\s\S]*?)<\/XML>/.exec(txt);
    return (m?.[1] ?? txt).trim();
  }
}
