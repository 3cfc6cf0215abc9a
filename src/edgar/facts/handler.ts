import type { CompanyFacts } from "../statements/index.js";
import { loadCompanyFacts } from "./load-facts.js";
import { serializeError, type WorkerRequest, type WorkerResponse } from "./protocol.js";
import { runFactsQuery } from "./queries.js";

/**
 * The worker's state and its one entry point, kept apart from the thread wiring so the
 * inline mode (no worker) runs exactly this code. Parsed payloads are kept by content
 * key (URL + version) in a small LRU: Apple's 4.2 MB companyfacts file stays as ~8 MB of heap.
 */
export class FactsHandler {
  private readonly parsed = new Map<string, CompanyFacts>();

  constructor(private readonly maxCompanies = 4) {}

  handle(req: WorkerRequest): WorkerResponse {
    try {
      if (req.op === "load") {
        const url = req.key.split("#")[0] ?? req.key;
        this.remember(req.key, loadCompanyFacts(req.body, url));
        return { id: req.id, ok: true, result: null };
      }
      const facts = this.parsed.get(req.key);
      if (!facts) return { id: req.id, ok: false, missing: true };
      this.remember(req.key, facts); // refresh its place in the LRU
      return { id: req.id, ok: true, result: runFactsQuery(facts, req.query) };
    } catch (e) {
      return { id: req.id, ok: false, error: serializeError(e) };
    }
  }

  private remember(key: string, facts: CompanyFacts): void {
    const url = key.split("#")[0];
    // A newer version of the same URL replaces the older one.
    for (const k of this.parsed.keys()) if (k !== key && k.split("#")[0] === url) this.parsed.delete(k);
    this.parsed.delete(key);
    this.parsed.set(key, facts);
    while (this.parsed.size > this.maxCompanies) {
      const oldest = this.parsed.keys().next().value;
      if (oldest === undefined) break;
      this.parsed.delete(oldest);
    }
  }
}
