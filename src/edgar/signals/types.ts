/**
 * Shapes shared by the filing-signal modules. Everything here is plain JSON (strings,
 * numbers, arrays, records), so a result can be cached, logged or returned by a tool as is.
 */
import type { InsiderTransaction } from "../forms/ownership.js";

/** One filing behind a signal: enough to cite it and open it. */
export interface SignalFiling {
  accessionNumber: string;
  form: string;
  /** YYYY-MM-DD; never after the result's `asOf`. */
  filingDate: string;
  /**
   * The period the filing reports on (submissions' reportDate). For an ownership form
   * (Form 4) it is the earliest transaction date of that filing used by the signal.
   */
  reportDate: string | null;
  /** The primary document when the filing names one, else the filing's index page. */
  url: string;
  /** 8-K item numbers as listed in the filing index ("2.02", "9.01"; pre-2004 filings use "1"…"12"). */
  items?: string[];
}

export type SignalKind = "late_filing" | "amendment" | "restatement" | "insider_buying_cluster" | "insider_selling_cluster" | "eight_k_item";

export const SIGNAL_KINDS: readonly SignalKind[] = [
  "late_filing",
  "amendment",
  "restatement",
  "insider_buying_cluster",
  "insider_selling_cluster",
  "eight_k_item",
];

export interface FilingSignal {
  kind: SignalKind;
  /** -1 (bearish) … +1 (bullish); 0 neutral or unknown. */
  direction: number;
  /** 0..100: how much it matters, decayed by age (`baseScore × 0.5^(ageDays / 180)`), one decimal. */
  score: number;
  /** 0..100: the score before age decay, from the rules in the module that made the signal. */
  baseScore: number;
  /** YYYY-MM-DD: when the market learned of it (the filing date of the key filing). */
  date: string;
  /** Days from `date` to the result's `asOf`. */
  ageDays: number;
  /** For 8-K item signals: the item number ("4.01"); absent for other kinds. */
  item?: string;
  title: string;
  /**
   * Why, in a sentence or three, including how the base score was reached. Insider
   * signals name the reporting owners: that text comes from filings (cleaned of invisible
   * and fence characters, not fenced) — fence it before handing it to a model.
   */
  detail: string;
  /** The key filing first, then related ones (oldest first); all filed on or before `asOf`. */
  filings: SignalFiling[];
}

/**
 * An insider transaction with the filing it came from. `aff10b5One` is the document-level
 * Rule 10b5-1 checkbox (schema X0508 and later); InsiderTransaction does not carry it, so
 * build these with `signalInsiderTransactions(doc, filing)` when you have the document.
 */
export type SignalInsiderTransaction = InsiderTransaction & {
  accessionNumber: string;
  filingDate: string;
  url: string;
  aff10b5One?: boolean | undefined;
};

/** Age decay: a signal loses half its weight every 180 days (about two quarterly reports). */
export const HALF_LIFE_DAYS = 180;
export const DEFAULT_WINDOW_DAYS = 365;

/** A signal before age decay (filingSignals adds score, ageDays and sorts). */
export type RawSignal = Omit<FilingSignal, "score" | "ageDays">;
