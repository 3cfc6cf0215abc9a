/**
 * Ticker ↔ CIK directory over the SEC's www.sec.gov/files/company_tickers.json
 * ({"0": {"cik_str": 320193, "ticker": "AAPL", "title": "Apple Inc."}, ...}). The file
 * lists a company once per ticker (BRK-A, BRK-B), roughly largest first; a CIK resolves
 * to its first listed ticker.
 */
import { distance } from "fastest-levenshtein";
import type { Clock } from "../../core/clock.js";
import { ArgusError } from "../../core/errors.js";
import type { SecClient } from "../client/sec-client.js";
import { EdgarError } from "../client/errors.js";

export const COMPANY_TICKERS_PATH = "/files/company_tickers.json";
export const TICKERS_TTL_MS = 24 * 60 * 60 * 1000;

export interface CompanyRef {
  /** 10-digit zero-padded CIK, e.g. "0000320193". */
  cik: string;
  ticker: string;
  name: string;
}

export interface CompanyMatch extends CompanyRef {
  /** Higher is better; only meaningful for ordering. */
  score: number;
}

/** "320193", 320193, "CIK320193", "0000320193" → "0000320193"; anything else → INVALID_INPUT. */
export function padCik(input: string | number): string {
  const raw = typeof input === "number" ? String(input) : input.trim().replace(/^cik/i, "");
  if (typeof input === "number" && (!Number.isSafeInteger(input) || input <= 0)) {
    throw new ArgusError("INVALID_INPUT", `A CIK is a positive whole number of at most 10 digits (got ${input}).`);
  }
  if (!/^\d{1,10}$/.test(raw) || /^0+$/.test(raw)) {
    throw new ArgusError("INVALID_INPUT", `"${String(input)}" is not a valid CIK: a CIK is 1 to 10 digits (e.g. 320193 or 0000320193), optionally prefixed with "CIK".`);
  }
  return raw.padStart(10, "0");
}

/** Whether the input is meant as a CIK (starts with a digit or "CIK" + digit), as opposed to a ticker. */
function looksLikeCik(s: string): boolean {
  return /^(cik)?\d/i.test(s.trim());
}

function normTicker(s: string): string {
  return s.trim().toUpperCase().replace(/[./]/g, "-");
}

const NAME_NOISE = new Set(["inc", "corp", "corporation", "co", "company", "ltd", "plc", "llc", "lp", "the", "holdings", "group", "sa", "nv", "ag"]);

function normName(s: string): string {
  return s
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9 ]+/g, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0 && !NAME_NOISE.has(w))
    .join(" ");
}

interface Entry extends CompanyRef {
  order: number;
  normName: string;
  words: string[];
}

interface Loaded {
  entries: Entry[];
  byTicker: Map<string, Entry>;
  byCik: Map<string, Entry>;
  loadedAt: number;
}

export class TickerDirectory {
  private loaded: Promise<Loaded> | undefined;
  private loadedAt = -Infinity;

  constructor(private readonly sec: SecClient, private readonly clock: Clock) {}

  private load(): Promise<Loaded> {
    if (!this.loaded || this.clock.now() - this.loadedAt >= TICKERS_TTL_MS) {
      this.loadedAt = this.clock.now();
      const p = this.fetch();
      this.loaded = p;
      p.catch(() => {
        if (this.loaded === p) this.loaded = undefined; // do not remember a failure
      });
    }
    return this.loaded;
  }

  private async fetch(): Promise<Loaded> {
    const res = await this.sec.getJson<unknown>(COMPANY_TICKERS_PATH, { base: "www", ttlMs: TICKERS_TTL_MS });
    const data = res.data;
    if (typeof data !== "object" || data === null) {
      throw new EdgarError("SEC_BAD_RESPONSE", `${res.url} did not hold the expected ticker map.`, { url: res.url });
    }
    const rows = Array.isArray(data) ? data : Object.values(data);
    const entries: Entry[] = [];
    const byTicker = new Map<string, Entry>();
    const byCik = new Map<string, Entry>();
    for (const row of rows) {
      if (typeof row !== "object" || row === null) continue;
      const r = row as Record<string, unknown>;
      const cikNum = typeof r.cik_str === "number" ? r.cik_str : Number(r.cik_str);
      const ticker = typeof r.ticker === "string" ? normTicker(r.ticker) : "";
      const name = typeof r.title === "string" ? r.title.trim() : "";
      if (!Number.isSafeInteger(cikNum) || cikNum <= 0 || cikNum >= 1e10 || !ticker) continue;
      const norm = normName(name);
      const e: Entry = { cik: String(cikNum).padStart(10, "0"), ticker, name, order: entries.length, normName: norm, words: norm.split(" ").filter(Boolean) };
      entries.push(e);
      if (!byTicker.has(ticker)) byTicker.set(ticker, e);
      if (!byCik.has(e.cik)) byCik.set(e.cik, e);
    }
    if (entries.length === 0) throw new EdgarError("SEC_BAD_RESPONSE", `${res.url} held no tickers.`, { url: res.url });
    return { entries, byTicker, byCik, loadedAt: res.fetchedAt };
  }

  /** Every company in the directory (one row per ticker). */
  async all(): Promise<CompanyRef[]> {
    return (await this.load()).entries.map(({ cik, ticker, name }) => ({ cik, ticker, name }));
  }

  /**
   * "AAPL", "aapl", "BRK.B", "320193", "0000320193", "CIK0000320193" → { cik, ticker, name }.
   * A malformed CIK is INVALID_INPUT; an unknown ticker or CIK is UNKNOWN_COMPANY (NO_DATA)
   * with the closest matches in the message and in details.suggestions.
   */
  async resolve(tickerOrCik: string): Promise<CompanyRef> {
    const input = String(tickerOrCik ?? "").trim();
    if (!input) throw new ArgusError("INVALID_INPUT", "Give a ticker (e.g. AAPL) or a CIK (e.g. 320193).");
    if (input.length > 40) throw new ArgusError("INVALID_INPUT", "A ticker or CIK is at most a few characters long.");
    const dir = await this.load();
    const byTicker = dir.byTicker.get(normTicker(input));
    if (byTicker) return pick(byTicker);
    if (looksLikeCik(input)) {
      const cik = padCik(input);
      const e = dir.byCik.get(cik);
      if (e) return pick(e);
      throw new EdgarError(
        "UNKNOWN_COMPANY",
        `CIK ${cik} is not in the SEC's ticker list (it may be a company without a listed ticker; its filings can still be read by CIK).`,
        { cik, suggestions: [] },
      );
    }
    if (!/^[A-Za-z0-9.\-/^ ]+$/.test(input)) {
      throw new ArgusError("INVALID_INPUT", `"${input}" is not a ticker or a CIK.`);
    }
    const suggestions = this.rank(dir, input, 5);
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `${s.ticker} (${s.name})`).join(", ")}?` : "";
    throw new EdgarError("UNKNOWN_COMPANY", `Unknown ticker "${input}": it is not in the SEC's ticker list.${hint}`, {
      input,
      suggestions: suggestions.map(({ cik, ticker, name }) => ({ cik, ticker, name })),
    });
  }

  /** The 10-digit CIK for a ticker or CIK; a well-formed CIK absent from the directory is returned as is. */
  async resolveCik(tickerOrCik: string): Promise<string> {
    const input = String(tickerOrCik ?? "").trim();
    if (looksLikeCik(input)) {
      const cik = padCik(input);
      const e = (await this.load()).byCik.get(cik);
      return e?.cik ?? cik;
    }
    return (await this.resolve(input)).cik;
  }

  /** Fuzzy search by ticker and company name, best first. */
  async search(query: string, limit = 10): Promise<CompanyMatch[]> {
    const q = String(query ?? "").trim();
    if (!q) throw new ArgusError("INVALID_INPUT", "Give some text to search for (a company name or ticker).");
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ArgusError("INVALID_INPUT", `limit must be a whole number from 1 to 100 (got ${limit}).`);
    return this.rank(await this.load(), q, limit);
  }

  private rank(dir: Loaded, query: string, limit: number): CompanyMatch[] {
    const qt = normTicker(query);
    const qn = normName(query) || query.toLowerCase().trim();
    const scored: Array<{ e: Entry; score: number }> = [];
    for (const e of dir.entries) {
      const score = Math.max(scoreTicker(qt, e.ticker), scoreName(qn, e));
      if (score > 0) scored.push({ e, score });
    }
    scored.sort((a, b) => b.score - a.score || a.e.order - b.e.order);
    const seen = new Set<string>();
    const out: CompanyMatch[] = [];
    for (const { e, score } of scored) {
      if (seen.has(e.cik)) continue; // one row per company: its best-scoring ticker
      seen.add(e.cik);
      out.push({ cik: e.cik, ticker: e.ticker, name: e.name, score: Math.round(score) });
      if (out.length >= limit) break;
    }
    return out;
  }
}

function pick(e: Entry): CompanyRef {
  return { cik: e.cik, ticker: e.ticker, name: e.name };
}

function scoreTicker(q: string, t: string): number {
  if (!q || q.length > 12) return 0;
  if (q === t) return 1000;
  if (t.startsWith(q)) return 520 - 10 * (t.length - q.length);
  const d = distance(q, t);
  const allowed = q.length <= 2 ? 0 : q.length <= 4 ? 1 : 2;
  // Same letters in a different order (APPL for AAPL) count as near misses too.
  const anagram = q.length === t.length && [...q].sort().join("") === [...t].sort().join("");
  if (d <= allowed || (anagram && d <= 2)) return 360 - 60 * d;
  return 0;
}

function scoreName(q: string, e: Entry): number {
  const n = e.normName;
  if (!q || !n) return 0;
  if (n === q) return 950;
  if (n.startsWith(q + " ")) return 800 - Math.min(100, n.length - q.length);
  if (n.startsWith(q)) return 720 - Math.min(100, n.length - q.length);
  const qWords = q.split(" ");
  if (qWords.length === 1 && e.words.some((w) => w === q)) return 600 - Math.min(100, n.length);
  if (e.words.some((w) => w.startsWith(q))) return 520 - Math.min(100, n.length);
  if (n.includes(q)) return 420 - Math.min(100, n.length);
  if (q.length < 4) return 0;
  // Typos: compare with the whole name and with the name cut to the query's length.
  const head = n.slice(0, q.length);
  const d = Math.min(distance(q, n), distance(q, head));
  const sim = 1 - d / Math.max(q.length, 1);
  return sim >= 0.7 ? 300 * sim : 0;
}
