/**
 * Signals read from a company's filing index alone (form types, dates, 8-K item codes):
 * late filing notices, amendments and restatements, and notable 8-K items. Pure: the
 * caller passes the filings and the point in time; filings after `asOf` are never looked
 * at, not even to link or resolve another signal.
 */
import { dayNumber, isoDate, isWeekend } from "../../data/calendar/dates.js";
import type { Filing } from "../submissions/submissions.js";
import { describeEightKItem, EIGHT_K_ITEMS, parseEightKItems } from "./eight-k-items.js";
import type { RawSignal, SignalFiling } from "./types.js";

// ---------------------------------------------------------------------------------------
// Rules and their scores (base scores, 0..100, before age decay)

/**
 * Late filing notices (Form 12b-25, filed as "NT <form>"). A company files one when it
 * cannot file a periodic report on time; Rule 12b-25 then gives it 15 more calendar days
 * for an annual report (10-K, 20-F, 11-K) and 5 for a quarterly one (10-Q, 10-D).
 * - Annual report late: 80, direction -0.8. Missing the year-end deadline usually means an
 *   accounting, audit or going-concern problem; academic studies find negative returns
 *   and higher odds of restatement and delisting after NT 10-K filings.
 * - Quarterly report late: 70, direction -0.7: the same problem, caught mid-year and
 *   without an audit, so slightly less weighty.
 * - 11-K (employee benefit plan annual report) late: 25, direction -0.2: about the plan,
 *   not the company's own books.
 * - Other NT forms (10-D, N-CEN, N-CSR …): 30 / 20, direction -0.3 / -0.2.
 */
interface LateFilingClass {
  label: string;
  base: number;
  direction: number;
  /** Calendar days of extension under Rule 12b-25(b). */
  extensionDays: number;
  /** Whether it counts toward the "repeated late filer" bonus. */
  periodic: boolean;
}

export function lateFilingClass(form: string): LateFilingClass {
  if (/^(10-K|10-KT|10-K405|10-KSB|20-F|40-F)\b/.test(form)) return { label: "annual report", base: 80, direction: -0.8, extensionDays: 15, periodic: true };
  if (/^(10-Q|10-QT|10-QSB)\b/.test(form)) return { label: "quarterly report", base: 70, direction: -0.7, extensionDays: 5, periodic: true };
  if (/^11-K\b/.test(form)) return { label: "employee benefit plan annual report", base: 25, direction: -0.2, extensionDays: 15, periodic: false };
  if (/^10-D\b/.test(form)) return { label: "asset-backed distribution report", base: 30, direction: -0.3, extensionDays: 5, periodic: false };
  return { label: "report", base: 20, direction: -0.2, extensionDays: 15, periodic: false };
}

/**
 * Adjustments to a late filing notice (applied as (base + repeat bonus) × factor, at most 100):
 * - +10 for each other late notice for a 10-K/10-Q/20-F-type report in the 365 days
 *   before it (at most +20): a second miss within a year means the problem persisted.
 * - × 0.6 when the late report was filed within the 12b-25 extension (counted from the
 *   notice's filing date, rolled past weekends): the notice was then closer to a formality.
 * - × 1.15 when the report was still not filed by `asOf` and the extension had run out: a
 *   company past its extension is exposed to exchange deficiency notices.
 * - × 1.0 when the report came, but after the extension.
 */
export const LATE_REPEAT_BONUS = 10;
export const LATE_REPEAT_MAX = 20;
export const LATE_RESOLVED_IN_TIME_FACTOR = 0.6;
export const LATE_STILL_MISSING_FACTOR = 1.15;

/**
 * Amendments of periodic reports (10-K/A, 10-Q/A and their 20-F/40-F/transition
 * cousins). Most add omitted Part III information or exhibits or fix a typo, so alone they
 * are mild: annual 20, quarterly 15, direction -0.2 / -0.15. The filing index cannot tell
 * a cosmetic amendment from a restated one — the 8-K item 4.02 link below can.
 */
export const AMENDMENT_ANNUAL_SCORE = 20;
export const AMENDMENT_QUARTERLY_SCORE = 15;

/**
 * An amendment is escalated to a restatement when an 8-K item 4.02 (non-reliance on
 * previously issued financial statements) was filed at most 365 days before it (it
 * follows the notice: re-audits take months) or at most 120 days after it (the notice
 * came late) — the latter only once that 8-K is filed by `asOf`. Score 75, direction -0.8:
 * these are the restated numbers, but the news broke with the 4.02 notice (95).
 */
export const RESTATEMENT_LOOKBACK_DAYS = 365;
export const RESTATEMENT_LOOKAHEAD_DAYS = 120;
export const RESTATED_AMENDMENT_SCORE = 75;
export const RESTATED_AMENDMENT_DIRECTION = -0.8;

/**
 * Item 3.01 is both "the exchange sent a deficiency notice" and "we are moving our listing".
 * It is escalated to 75, direction -0.9, when a late filing notice or a 4.02 notice was
 * filed in the 120 days up to it: exchanges send deficiency notices to late filers (Apple
 * 2006, Kraft Heinz 2019 in the fixtures); otherwise it keeps the item's 35 / -0.3
 * (Under Armour 2006, Walmart 2025: voluntary transfers).
 */
export const DELISTING_CONTEXT_DAYS = 120;
export const DELISTING_ESCALATED_SCORE = 75;
export const DELISTING_ESCALATED_DIRECTION = -0.9;

/** An 8-K/A revisits news already out (adds exhibits, updates an incident): half weight. */
export const EIGHT_K_AMENDMENT_WEIGHT = 0.5;

// ---------------------------------------------------------------------------------------
// Helpers

const round1 = (x: number): number => Math.round(x * 10) / 10;

function oldestFirst(a: Filing, b: Filing): number {
  if (a.filingDate !== b.filingDate) return a.filingDate < b.filingDate ? -1 : 1;
  const ta = a.acceptanceDateTime ?? "";
  const tb = b.acceptanceDateTime ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.accessionNumber < b.accessionNumber ? -1 : a.accessionNumber > b.accessionNumber ? 1 : 0;
}

/** Filed after `ref`: a later date, or the same date with a later acceptance time. */
function filedAfter(f: Filing, ref: Filing): boolean {
  if (f.filingDate !== ref.filingDate) return f.filingDate > ref.filingDate;
  return f.acceptanceDateTime !== null && ref.acceptanceDateTime !== null && f.acceptanceDateTime > ref.acceptanceDateTime;
}

const isEightK = (form: string): boolean => form === "8-K" || form === "8-K/A";

export function toSignalFiling(f: Filing): SignalFiling {
  const out: SignalFiling = {
    accessionNumber: f.accessionNumber,
    form: f.form,
    filingDate: f.filingDate,
    reportDate: f.reportDate,
    url: f.primaryDocumentUrl ?? f.indexUrl,
  };
  if (isEightK(f.form)) out.items = parseEightKItems(f.items);
  return out;
}

const days = (a: string, b: string): number => dayNumber(b) - dayNumber(a);

/** A due date that falls on a weekend moves to the next Monday (Rule 0-3; holidays are not modelled). */
function rollPastWeekend(day: number): number {
  let d = day;
  while (isWeekend(d)) d += 1;
  return d;
}

const AMENDED_PERIODIC = /^(10-K|10-KT|10-K405|10-KSB|20-F|40-F|10-Q|10-QT|10-QSB)\/A$/;
const NT_FORM = /^NT\s+(.+?)(\/A)?$/;

function hasItem(f: Filing, item: string): boolean {
  return isEightK(f.form) && parseEightKItems(f.items).includes(item);
}

// ---------------------------------------------------------------------------------------
// Signals

export interface FilingEventContext {
  /** Every filing filed on or before asOf, oldest first. */
  known: Filing[];
  asOf: string;
  /** First filing date inside the window (inclusive). */
  windowStart: string;
}

/** Known filings (≤ asOf), oldest first. Filings after asOf are dropped here, once. */
export function knownFilings(filings: readonly Filing[], asOf: string): Filing[] {
  return filings.filter((f) => f.filingDate <= asOf).sort(oldestFirst);
}

export function lateFilingSignals(ctx: FilingEventContext): RawSignal[] {
  const { known, asOf, windowStart } = ctx;
  // Group an NT filing with its own amendments (NT 10-K/A) by base form and period.
  const groups = new Map<string, { base: string; notices: Filing[] }>();
  for (const f of known) {
    const m = NT_FORM.exec(f.form.toUpperCase());
    if (!m?.[1]) continue;
    const base = m[1].trim();
    const key = f.reportDate ? `${base}|${f.reportDate}` : `${base}|${f.accessionNumber}`;
    const g = groups.get(key);
    if (g) g.notices.push(f);
    else groups.set(key, { base, notices: [f] });
  }
  const periodicNoticeDates = [...groups.values()].filter((g) => lateFilingClass(g.base).periodic).map((g) => (g.notices[0] as Filing).filingDate);

  const out: RawSignal[] = [];
  for (const { base, notices } of groups.values()) {
    const first = notices[0] as Filing;
    if (first.filingDate < windowStart) continue;
    const cls = lateFilingClass(base);
    const period = first.reportDate;
    const why: string[] = [`Base ${cls.base} (late ${cls.label}).`];

    // Repeat offender: other periodic late notices in the year before this one.
    const priors = periodicNoticeDates.filter((d) => d < first.filingDate && days(d, first.filingDate) <= 365).length;
    const bonus = cls.periodic ? Math.min(LATE_REPEAT_MAX, LATE_REPEAT_BONUS * priors) : 0;
    if (bonus > 0) why.push(`+${bonus}: ${priors} earlier late notice${priors > 1 ? "s" : ""} within a year.`);

    // Was the late report filed (by asOf), and within the extension?
    const report = known.find(
      (f) =>
        filedAfter(f, first) &&
        f.form.toUpperCase().startsWith(base) &&
        !f.form.endsWith("/A") &&
        (period !== null ? f.reportDate === period : days(first.filingDate, f.filingDate) <= 180),
    );
    const deadline = isoDate(rollPastWeekend(dayNumber(first.filingDate) + cls.extensionDays));
    let factor = 1;
    if (report) {
      const late = days(first.filingDate, report.filingDate);
      if (report.filingDate <= deadline) {
        factor = LATE_RESOLVED_IN_TIME_FACTOR;
        why.push(`×${factor}: the ${report.form} was filed ${report.filingDate}, ${late} days after the notice, within the ${cls.extensionDays}-day extension (due ${deadline}).`);
      } else {
        why.push(`The ${report.form} was filed ${report.filingDate}, ${late} days after the notice, past the ${cls.extensionDays}-day extension (due ${deadline}).`);
      }
    } else if (asOf > deadline) {
      factor = LATE_STILL_MISSING_FACTOR;
      why.push(`×${factor}: the ${base} was still not filed by ${asOf}, ${days(first.filingDate, asOf)} days after the notice (extension ran to ${deadline}).`);
    } else {
      why.push(`The ${cls.extensionDays}-day extension runs to ${deadline}; the ${base} was not filed yet as of ${asOf}.`);
    }
    const baseScore = round1(Math.min(100, (cls.base + bonus) * factor));
    out.push({
      kind: "late_filing",
      direction: cls.direction,
      baseScore,
      date: first.filingDate,
      title: `Late filing notice: ${first.form.replace(/\/A$/, "")}${period ? ` for the period ended ${period}` : ""}`,
      detail: `Form 12b-25 notice that the ${base}${period ? ` for the period ended ${period}` : ""} would not be filed on time. ${why.join(" ")}`,
      filings: [...notices, ...(report ? [report] : [])].map(toSignalFiling),
    });
  }
  return out;
}

/** Restatement links: 4.02 notices within [amendment − 365 days, amendment + 120 days], all ≤ asOf. */
function linkedNonReliance(amendment: Filing, nonReliance: readonly Filing[]): Filing[] {
  return nonReliance.filter((n) => {
    const d = days(n.filingDate, amendment.filingDate); // > 0: the notice came first
    return d <= RESTATEMENT_LOOKBACK_DAYS && -d <= RESTATEMENT_LOOKAHEAD_DAYS;
  });
}

export function amendmentSignals(ctx: FilingEventContext): RawSignal[] {
  const { known, asOf, windowStart } = ctx;
  const nonReliance = known.filter((f) => hasItem(f, "4.02"));
  const out: RawSignal[] = [];
  for (const f of known) {
    if (f.filingDate < windowStart || !AMENDED_PERIODIC.test(f.form.toUpperCase())) continue;
    const annual = !/^10-Q/.test(f.form.toUpperCase());
    const original = f.form.replace(/\/A$/, "");
    const period = f.reportDate ? ` for the period ended ${f.reportDate}` : "";
    const links = linkedNonReliance(f, nonReliance);
    if (links.length > 0) {
      const refs = links
        .map((n) => {
          const d = days(n.filingDate, f.filingDate);
          return `${n.accessionNumber} (${n.filingDate}, ${d === 0 ? "the same day" : d > 0 ? `${d} days before it` : `${-d} days after it`})`;
        })
        .join(", ");
      out.push({
        kind: "restatement",
        direction: RESTATED_AMENDMENT_DIRECTION,
        baseScore: RESTATED_AMENDMENT_SCORE,
        date: f.filingDate,
        title: `Restated report: ${f.form}${period}`,
        detail:
          `Amended ${original}${period}, linked to 8-K item 4.02 non-reliance notice ${refs} (a notice up to ${RESTATEMENT_LOOKBACK_DAYS} days before or ${RESTATEMENT_LOOKAHEAD_DAYS} days after an amendment links them). ` +
          `Base ${RESTATED_AMENDMENT_SCORE}: these are likely the restated numbers; the 4.02 notice itself (95) was the news.`,
        filings: [f, ...links].map(toSignalFiling),
      });
    } else {
      const score = annual ? AMENDMENT_ANNUAL_SCORE : AMENDMENT_QUARTERLY_SCORE;
      out.push({
        kind: "amendment",
        direction: annual ? -0.2 : -0.15,
        baseScore: score,
        date: f.filingDate,
        title: `Amended report: ${f.form}${period}`,
        detail:
          `Amended ${original}${period}. No 8-K item 4.02 non-reliance notice within ${RESTATEMENT_LOOKBACK_DAYS} days before or ${RESTATEMENT_LOOKAHEAD_DAYS} days after it (as of ${asOf}). ` +
          `Base ${score}: most amendments add omitted Part III information or exhibits or correct errors — read it to tell.`,
        filings: [toSignalFiling(f)],
      });
    }
  }
  return out;
}

export function eightKSignals(ctx: FilingEventContext): RawSignal[] {
  const { known, windowStart } = ctx;
  const amendments = known.filter((f) => AMENDED_PERIODIC.test(f.form.toUpperCase()));
  const troubles = known.filter((f) => NT_FORM.test(f.form.toUpperCase()) || hasItem(f, "4.02"));
  const out: RawSignal[] = [];
  for (const f of known) {
    if (f.filingDate < windowStart || !isEightK(f.form)) continue;
    const isAmendment = f.form === "8-K/A";
    const weight = isAmendment ? EIGHT_K_AMENDMENT_WEIGHT : 1;
    const items = parseEightKItems(f.items);
    const others = (item: string): string => {
      const rest = items.filter((i) => i !== item);
      return rest.length > 0 ? ` Other items in this filing: ${rest.join(", ")}.` : "";
    };
    const amendNote = isAmendment ? ` ×${EIGHT_K_AMENDMENT_WEIGHT}: an 8-K/A revisits an earlier report.` : "";

    for (const item of items) {
      if (item === "4.02") {
        // Non-reliance: a restatement signal, the most severe accounting event.
        const info = EIGHT_K_ITEMS["4.02"] as (typeof EIGHT_K_ITEMS)[string];
        const restated = amendments.filter((a) => linkedNonReliance(a, [f]).length > 0);
        const baseScore = round1(info.score * weight);
        out.push({
          kind: "restatement",
          direction: info.direction,
          baseScore,
          date: f.filingDate,
          item,
          title: `${f.form} item 4.02: non-reliance on previously issued financial statements`,
          detail:
            `${info.meaning} Base ${info.score} — ${info.rationale}${amendNote}` +
            (restated.length > 0 ? ` Amended reports linked to it: ${restated.map((a) => `${a.form} ${a.accessionNumber} (${a.filingDate})`).join(", ")}.` : "") +
            others(item),
          filings: [f, ...restated].map(toSignalFiling),
        });
        continue;
      }
      const info = describeEightKItem(item);
      if (info.score <= 0) continue;
      let base = info.score;
      let direction = info.direction;
      let context = "";
      let related: Filing[] = [];
      if (item === "3.01") {
        // The 8-K's own 4.02 counts too (it is in `troubles`), but is not listed twice.
        const context120 = troubles.filter((t) => t.filingDate <= f.filingDate && days(t.filingDate, f.filingDate) <= DELISTING_CONTEXT_DAYS);
        related = context120.filter((t) => t !== f);
        if (context120.length > 0) {
          base = DELISTING_ESCALATED_SCORE;
          direction = DELISTING_ESCALATED_DIRECTION;
          const refs = related.map((t) => `${t.form}${hasItem(t, "4.02") ? " item 4.02" : ""} ${t.accessionNumber} (${t.filingDate})`);
          if (related.length < context120.length) refs.push("this filing's own item 4.02");
          context = ` Escalated to ${base}: it comes with or within ${DELISTING_CONTEXT_DAYS} days after ${refs.join(", ")}, so most likely a deficiency notice.`;
        } else {
          context = " No late filing or non-reliance notice in the 120 days before it, so possibly a voluntary listing transfer.";
        }
      }
      const baseScore = round1(base * weight);
      out.push({
        kind: "eight_k_item",
        direction,
        baseScore,
        date: f.filingDate,
        item,
        title: `${f.form} item ${item}: ${info.title}${info.legacy ? " (pre-2004 numbering)" : ""}`,
        detail: `${info.meaning} Base ${info.score} — ${info.rationale}${context}${amendNote}${others(item)}`,
        filings: [f, ...related].map(toSignalFiling),
      });
    }
  }
  return out;
}
