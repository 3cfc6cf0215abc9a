/**
 * Filing signals: the events in a company's filing record that a holder should know about
 * — late filing notices, amended and restated reports, notable 8-K items, and clusters
 * of insiders buying or selling on the open market — each with a direction, a score and
 * the filings behind it.
 *
 * Pure: no I/O and no clock. The point in time is the `asOf` argument, and nothing filed
 * after it is used for anything (a signal, a link between filings, a resolution), so the
 * same call gives the same answer in a backtest as it did on that day.
 *
 * Scores are explainable by construction: each module states its base scores and why
 * (filing-events.ts, eight-k-items.ts, insider-clusters.ts), each signal's `detail`
 * shows how its base score was reached, and age decay is one formula:
 *   score = baseScore × 0.5^(ageDays / 180)
 * — half the weight after about two quarterly reports, a quarter after a year.
 */
import { dayNumber, isoDate } from "../../data/calendar/dates.js";
import { ArgusError } from "../../core/errors.js";
import { textTable } from "../../core/text-table.js";
import type { Filing } from "../submissions/submissions.js";
import { amendmentSignals, eightKSignals, knownFilings, lateFilingSignals } from "./filing-events.js";
import { insiderClusterSignals } from "./insider-clusters.js";
import {
  DEFAULT_WINDOW_DAYS,
  HALF_LIFE_DAYS,
  SIGNAL_KINDS,
  type FilingSignal,
  type RawSignal,
  type SignalInsiderTransaction,
  type SignalKind,
} from "./types.js";

export type { FilingSignal, SignalFiling, SignalInsiderTransaction, SignalKind } from "./types.js";
export { DEFAULT_WINDOW_DAYS, HALF_LIFE_DAYS, SIGNAL_KINDS } from "./types.js";
export { describeEightKItem, EIGHT_K_ITEMS, LEGACY_EIGHT_K_ITEMS, parseEightKItems, type EightKItemInfo } from "./eight-k-items.js";
export { isPlannedTrade, signalInsiderTransactions } from "./insider-clusters.js";

export interface FilingSignalsInput {
  /** The company's filings, any order (e.g. `Submissions.filings(cik, …)`); later ones are ignored. */
  filings: readonly Filing[];
  /** Form 3/4/5 transactions with their filing (see `signalInsiderTransactions`). */
  insiderTransactions?: readonly SignalInsiderTransaction[] | undefined;
  /** YYYY-MM-DD: the window's last day; nothing filed after it is used. */
  asOf: string;
  /** Days before asOf the window reaches back (inclusive), default 365. */
  windowDays?: number | undefined;
}

export interface FilingSignalsResult {
  asOf: string;
  windowDays: number;
  /** First filing date in the window: asOf − windowDays. */
  from: string;
  /** Age-decay half-life in days (180). */
  halfLifeDays: number;
  /** Highest score first. */
  signals: FilingSignal[];
  counts: Record<SignalKind, number>;
}

const MAX_WINDOW_DAYS = 36_500;

function checkAsOf(asOf: string): number {
  try {
    return dayNumber(asOf);
  } catch {
    throw new ArgusError("INVALID_INPUT", `asOf must be a real calendar date like 2024-06-30 (got "${asOf}").`);
  }
}

/** baseScore × 0.5^(ageDays / HALF_LIFE_DAYS), one decimal. */
export function decayedScore(baseScore: number, ageDays: number): number {
  return Math.round(baseScore * 0.5 ** (Math.max(0, ageDays) / HALF_LIFE_DAYS) * 10) / 10;
}

export function filingSignals(input: FilingSignalsInput): FilingSignalsResult {
  const asOfDay = checkAsOf(input.asOf);
  const windowDays = input.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
    throw new ArgusError("INVALID_INPUT", `windowDays must be a whole number of days from 1 to ${MAX_WINDOW_DAYS} (got ${windowDays}).`);
  }
  const asOf = input.asOf;
  const windowStart = isoDate(asOfDay - windowDays);
  const ctx = { known: knownFilings(input.filings, asOf), asOf, windowStart };

  const raw: RawSignal[] = [
    ...lateFilingSignals(ctx),
    ...amendmentSignals(ctx),
    ...eightKSignals(ctx),
    ...insiderClusterSignals(input.insiderTransactions ?? [], { asOf, windowStart }),
  ];

  const signals: FilingSignal[] = raw.map((s) => {
    const ageDays = asOfDay - dayNumber(s.date);
    // Key order fixed for readable JSON: kind, direction, score first.
    const { kind, direction, baseScore, date, item, title, detail, filings } = s;
    return {
      kind,
      direction,
      score: decayedScore(baseScore, ageDays),
      baseScore,
      date,
      ageDays,
      ...(item !== undefined ? { item } : {}),
      title,
      detail,
      filings,
    };
  });
  signals.sort(
    (a, b) =>
      b.score - a.score ||
      b.date.localeCompare(a.date) ||
      SIGNAL_KINDS.indexOf(a.kind) - SIGNAL_KINDS.indexOf(b.kind) ||
      (a.filings[0]?.accessionNumber ?? "").localeCompare(b.filings[0]?.accessionNumber ?? "") ||
      (a.item ?? "").localeCompare(b.item ?? ""),
  );

  const counts = Object.fromEntries(SIGNAL_KINDS.map((k) => [k, 0])) as Record<SignalKind, number>;
  for (const s of signals) counts[s.kind] += 1;
  return { asOf, windowDays, from: windowStart, halfLifeDays: HALF_LIFE_DAYS, signals, counts };
}

const KIND_LABEL: Record<SignalKind, string> = {
  late_filing: "late filing",
  amendment: "amendment",
  restatement: "restatement",
  insider_buying_cluster: "insider buying",
  insider_selling_cluster: "insider selling",
  eight_k_item: "8-K item",
};

const TITLE_WIDTH = 80;
const clip = (s: string): string => (s.length > TITLE_WIDTH ? `${s.slice(0, TITLE_WIDTH - 1)}…` : s);

function formatDirection(d: number): string {
  if (d === 0) return "0";
  return `${d > 0 ? "+" : "-"}${Math.abs(d).toFixed(2)}`;
}

/**
 * A compact text table (date, kind, score, direction, title clipped to 80 characters, key
 * accession), highest score first, under a one-line summary. `limit` caps the rows (default: all).
 */
export function formatSignalTable(result: FilingSignalsResult, opts: { limit?: number } = {}): string {
  const { signals, counts } = result;
  const summary = SIGNAL_KINDS.filter((k) => counts[k] > 0)
    .map((k) => `${KIND_LABEL[k]} ${counts[k]}`)
    .join(", ");
  const head = `Filing signals as of ${result.asOf} (filed ${result.from} … ${result.asOf}; scores halve every ${result.halfLifeDays} days): ${signals.length === 0 ? "none" : `${signals.length} — ${summary}`}.`;
  if (signals.length === 0) return head;
  const shown = opts.limit !== undefined ? signals.slice(0, Math.max(0, opts.limit)) : signals;
  const table = textTable(
    ["Date", "Kind", "Score", "Dir", "Title", "Accession"],
    shown.map((s) => [s.date, KIND_LABEL[s.kind], s.score.toFixed(1), formatDirection(s.direction), clip(s.title), s.filings[0]?.accessionNumber ?? ""]),
    { align: ["left", "left", "right", "right", "left", "left"] },
  );
  const more = shown.length < signals.length ? `\n… ${signals.length - shown.length} more.` : "";
  return `${head}\n${table}${more}`;
}
