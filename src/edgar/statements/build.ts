/**
 * Normalized financial statements from a parsed SEC companyfacts payload. Pure functions:
 * no I/O, no clock. Periods are identified by start/end (never the filing's fy/fp),
 * duplicates resolved by the latest `filed` (optionally as of a date), candidate tags
 * merged per period, and quarterly flows derived from year-to-date values when needed.
 */
import { ArgusError } from "../../core/errors.js";
import type { CompanyFacts, RawFact } from "./schema.js";
import {
  bucketOf,
  buildFiscalCalendar,
  calendarDay,
  dayNumber,
  durationDays,
  isoFromDay,
  parseFiscalYearEnd,
  quarterIndex,
  syntheticFiscalYearFor,
  type DurationPeriodStat,
  type FiscalYear,
  type TransitionPeriod,
} from "./periods.js";
import { LINE_ITEMS, lineItemsFor, type LineItem, type StatementKind } from "./line-items.js";

export type PeriodKind = "annual" | "quarterly";
export type FiscalPeriod = "FY" | "Q1" | "Q2" | "Q3" | "Q4" | "TR";

export interface StatementOptions {
  kind: StatementKind;
  period: PeriodKind;
  /** ISO date: use only facts filed on or before it */
  asOf?: string;
  /** "MMDD" of the fiscal year end (Apple "0930"); inferred from the latest 10-K when omitted */
  fiscalYearEnd?: string;
  /** newest N columns */
  limit?: number;
  /** include transition periods (10-KT/10-QT) as columns; default true */
  includeTransition?: boolean;
  /** taxonomy to read; default "us-gaap" */
  taxonomy?: string;
  /**
   * Balance sheets only (default true): per column, prefer each tag's value from the latest
   * filing that presented the whole balance sheet (Assets and LiabilitiesAndStockholdersEquity)
   * over a later stand-alone restatement of one total; see balanceAnchor.
   */
  coherentBalanceSheet?: boolean;
}

export interface Column {
  label: string;
  start?: string;
  end: string;
  fiscalYear: number;
  fiscalPeriod: FiscalPeriod;
  /** set on transition-period columns: the forms (10-KT/10-QT) that reported it */
  transition?: { forms: string[] };
}

export interface ValueInput {
  tag: string;
  item?: string;
  start?: string;
  end: string;
  value: number;
  accn: string;
  form: string;
  filed: string;
  latest?: { accn: string; form: string; filed: string };
}

export interface CellValue {
  value: number;
  /** the tag that supplied the value; for item-derived values a formula of tags */
  tag: string;
  accn: string;
  form: string;
  filed: string;
  /** filing index page on www.sec.gov */
  url: string;
  /**
   * Present when a later filing (on or before asOf) re-reported this period with the same
   * value — e.g. a 10-K/A or a later 10-K's comparative; accn/form/filed above name the
   * filing that first reported the value in effect.
   */
  latest?: { accn: string; form: string; filed: string };
  derived?: true;
  /** for derived values: what it was computed from */
  inputs?: ValueInput[];
}

export interface Row {
  item: string;
  label: string;
  unit: string;
  values: Array<CellValue | null>;
}

export interface Statement {
  kind: StatementKind;
  period: PeriodKind;
  currency: string;
  cik: number;
  entityName: string;
  fiscalYearEnd: string;
  asOf?: string;
  columns: Column[];
  rows: Row[];
}

// ───────────────────────────── preparation ─────────────────────────────
//
// Periods are keyed by day numbers, never by "start|end" strings: a value lookup probes up
// to 49 neighbouring periods, and formatting a date string per probe used to be most of the
// cost of a statement. Facts dated on a day that does not exist ("2021-02-31": the payload
// schema checks only the YYYY-MM-DD shape) are left out of statements; conceptHistory still
// lists them.

/** The facts of one tag in one unit (on or before asOf) that report the same period. */
interface PeriodGroup {
  /** day number of the start; for instants, of the end */
  startDay: number;
  /** every fact for the period, in payload order */
  all: RawFact[];
  /** the fact in effect (see `better`) */
  winner: RawFact;
  /** pick(all, winner), resolved on first use */
  picked?: Picked;
}

interface Series {
  /** duration periods by end day: a handful per day (quarter, half year, YTD, year) */
  durByEnd: Map<number, PeriodGroup[]>;
  /** instants by day */
  inst: Map<number, PeriodGroup>;
}

interface TagSeries {
  tag: string;
  series: Series;
}

interface Prepared {
  facts: CompanyFacts;
  taxonomy: Record<string, { units: Record<string, RawFact[]> }>;
  asOf: string | undefined;
  fye: { month: number; day: number };
  fiscalYearEnd: string;
  years: FiscalYear[];
  transitions: TransitionPeriod[];
  currency: string;
  /**
   * tag + NUL + unit → its series, built on first use: the statements read about 80 tags
   * of the hundreds of concepts in a payload.
   */
  series: Map<string, Series | null>;
  /** line item → those of its tags that have facts in its unit, in preference order */
  itemSeries: Map<LineItem, TagSeries[]>;
  /** balanceAnchor by column end day (shared by the annual and quarterly balance sheets) */
  anchors: Map<number, string | undefined>;
  /** filingUrl by accession number: most cells cite one of a few dozen filings */
  urls: Map<string, string>;
  quarterSlots: QuarterSlot[];
}

interface QuarterSlot {
  fy: FiscalYear;
  n: number;
  /** unknown when only a year-to-date period ends here */
  start?: string;
  end: string;
  startDay?: number;
  endDay: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isValidIsoDate(s: string): boolean {
  return ISO_DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && isoFromDay(dayNumber(s)) === s;
}

/** Latest filed wins; on the same day an amendment (…/A) wins, then the higher accession. */
function better(a: RawFact, b: RawFact): boolean {
  if (a.filed !== b.filed) return a.filed > b.filed;
  const aAm = a.form.endsWith("/A");
  const bAm = b.form.endsWith("/A");
  if (aAm !== bAm) return aAm;
  return a.accn > b.accn;
}

function addToGroup(g: PeriodGroup, f: RawFact): void {
  g.all.push(f);
  if (better(f, g.winner)) g.winner = f;
}

/**
 * The period in `sameEnd` (periods with one end day) that starts on startDay. A loop, not
 * Array.find: a closure per fact was a measurable share of the garbage of a statement build,
 * and garbage made while a freshly parsed payload is still young is expensive to collect.
 */
function startingOn<T extends { startDay: number }>(sameEnd: readonly T[], startDay: number): T | undefined {
  for (const p of sameEnd) if (p.startDay === startDay) return p;
  return undefined;
}

/** Group one tag's facts (on or before asOf) by period. */
function seriesOf(list: readonly RawFact[], asOf: string | undefined): Series {
  const durByEnd = new Map<number, PeriodGroup[]>();
  const inst = new Map<number, PeriodGroup>();
  for (const f of list) {
    if (asOf !== undefined && f.filed > asOf) continue;
    const endDay = calendarDay(f.end);
    if (endDay === undefined) continue;
    if (f.start === undefined) {
      const g = inst.get(endDay);
      if (g) addToGroup(g, f);
      else inst.set(endDay, { startDay: endDay, all: [f], winner: f });
      continue;
    }
    const startDay = calendarDay(f.start);
    if (startDay === undefined) continue;
    let groups = durByEnd.get(endDay);
    if (!groups) durByEnd.set(endDay, (groups = []));
    const g = startingOn(groups, startDay);
    if (g) addToGroup(g, f);
    else groups.push({ startDay, all: [f], winner: f });
  }
  return { durByEnd, inst };
}

export function filingUrl(cik: number, accn: string): string {
  return `https://www.sec.gov/Archives/edgar/data/${cik}/${accn.replace(/-/g, "")}/${accn}-index.htm`;
}

function urlOf(p: Prepared, accn: string): string {
  let url = p.urls.get(accn);
  if (url === undefined) p.urls.set(accn, (url = filingUrl(p.facts.cik, accn)));
  return url;
}

function inferFiscalYearEnd(periods: readonly DurationPeriodStat[]): string | undefined {
  let best: DurationPeriodStat | undefined;
  for (const p of periods) {
    if (bucketOf(p.endDay - p.startDay + 1) !== "annual" || p.count < 10) continue;
    if (![...p.forms].some((f) => f.startsWith("10-K"))) continue;
    if (!best || p.end > best.end) best = p;
  }
  return best ? best.end.slice(5, 7) + best.end.slice(8, 10) : undefined;
}

function validateOptions(asOf: string | undefined, fiscalYearEnd: string | undefined, limit?: number): void {
  if (asOf !== undefined && !isValidIsoDate(asOf)) {
    throw new ArgusError("INVALID_INPUT", `asOf must be an ISO date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  }
  if (fiscalYearEnd !== undefined) {
    try {
      parseFiscalYearEnd(fiscalYearEnd);
    } catch (err) {
      throw new ArgusError("INVALID_INPUT", (err as Error).message);
    }
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new ArgusError("INVALID_INPUT", `limit must be a positive integer, got ${String(limit)}`);
  }
}

const preparedCache = new WeakMap<CompanyFacts, Map<string, Prepared>>();

function prepare(
  facts: CompanyFacts,
  asOf: string | undefined,
  fiscalYearEnd: string | undefined,
  taxonomyName = "us-gaap",
): Prepared {
  const cacheKey = `${taxonomyName}|${asOf ?? ""}|${fiscalYearEnd ?? ""}`;
  let byKey = preparedCache.get(facts);
  const hit = byKey?.get(cacheKey);
  if (hit) return hit;

  const taxonomy = (facts.facts[taxonomyName] ?? {}) as Prepared["taxonomy"];
  const { periods, currency } = surveyTaxonomy(taxonomy, asOf);
  const fyeStr = fiscalYearEnd ?? inferFiscalYearEnd(periods) ?? "1231";
  const fye = parseFiscalYearEnd(fyeStr);
  const { years, transitions } = buildFiscalCalendar(periods, fye);
  const quarterSlots = buildQuarterSlots(periods, years, transitions, fye);

  const prepared: Prepared = {
    facts,
    taxonomy,
    asOf,
    fye,
    fiscalYearEnd: fyeStr.replace(/^--/, "").replace("-", ""),
    years,
    transitions,
    currency,
    series: new Map(),
    itemSeries: new Map(),
    anchors: new Map(),
    urls: new Map(),
    quarterSlots,
  };
  if (!byKey) {
    byKey = new Map();
    preparedCache.set(facts, byKey);
  }
  byKey.set(cacheKey, prepared);
  return prepared;
}

const CURRENCY_UNIT = /^[A-Z]{3}$/;

/**
 * The one pass over every fact of the taxonomy. Returns each duration period reported on or
 * before asOf — with how many facts and which forms reported it — in order of first
 * appearance (the fiscal calendar and quarter votes break ties by that order), and the
 * currency: the three-letter unit with the most facts.
 */
function surveyTaxonomy(
  taxonomy: Prepared["taxonomy"],
  asOf: string | undefined,
): { periods: DurationPeriodStat[]; currency: string } {
  const periods: DurationPeriodStat[] = [];
  const byEnd = new Map<number, DurationPeriodStat[]>();
  const currencyVotes = new Map<string, number>();
  for (const concept of Object.values(taxonomy)) {
    for (const [unit, list] of Object.entries(concept.units)) {
      if (CURRENCY_UNIT.test(unit)) currencyVotes.set(unit, (currencyVotes.get(unit) ?? 0) + list.length);
      for (const f of list) {
        if (f.start === undefined || (asOf !== undefined && f.filed > asOf)) continue;
        const startDay = calendarDay(f.start);
        const endDay = calendarDay(f.end);
        if (startDay === undefined || endDay === undefined) continue;
        let sameEnd = byEnd.get(endDay);
        if (!sameEnd) byEnd.set(endDay, (sameEnd = []));
        let stat = startingOn(sameEnd, startDay);
        if (!stat) {
          stat = { start: f.start, end: f.end, startDay, endDay, count: 0, forms: new Set() };
          sameEnd.push(stat);
          periods.push(stat);
        }
        stat.count++;
        stat.forms.add(f.form);
      }
    }
  }
  let currency = "USD";
  let bestVotes = -1;
  for (const [u, n] of currencyVotes) if (n > bestVotes) [currency, bestVotes] = [u, n];
  return { periods, currency };
}

/** Fiscal quarters (fiscal year × 1–4) with their end dates, voted from reported periods. */
function buildQuarterSlots(
  periods: readonly DurationPeriodStat[],
  years: FiscalYear[],
  transitions: TransitionPeriod[],
  fye: { month: number; day: number },
): QuarterSlot[] {
  const byLabel = new Map<number, FiscalYear>();
  for (const y of years) byLabel.set(y.fiscalYear, y);
  const known = [...years];
  const votes = new Map<string, { fy: FiscalYear; n: number; ends: Map<string, number>; starts: Map<string, number> }>();
  const vote = (fy: FiscalYear, n: number, end: string, start: string | undefined, w: number): void => {
    const k = `${fy.fiscalYear}|${n}`;
    let v = votes.get(k);
    if (!v) {
      v = { fy, n, ends: new Map(), starts: new Map() };
      votes.set(k, v);
    }
    v.ends.set(end, (v.ends.get(end) ?? 0) + w);
    if (start !== undefined) v.starts.set(start, (v.starts.get(start) ?? 0) + w);
  };
  for (const p of periods) {
    const s = p.startDay;
    const e = p.endDay;
    const bucket = bucketOf(e - s + 1);
    if (bucket === "other" || bucket === "annual") continue;
    let fy = known.find((y) => s >= y.startDay - 7 && e <= y.endDay + 7);
    if (!fy) {
      if (transitions.some((t) => s >= t.startDay - 7 && e <= t.endDay + 7)) continue;
      const syn = syntheticFiscalYearFor(p.end, fye);
      const existing = byLabel.get(syn.fiscalYear);
      if (existing && !existing.synthetic) continue; // label taken by a reported year that does not contain it
      if (existing) fy = existing;
      else {
        // Start the day after a reported year that ends near the nominal start (52/53-week years).
        const prior = known.find((y) => Math.abs(y.endDay + 1 - syn.startDay) <= 14);
        const startDay = prior ? prior.endDay + 1 : syn.startDay;
        fy = {
          fiscalYear: syn.fiscalYear,
          start: isoFromDay(startDay),
          end: isoFromDay(syn.endDay),
          startDay,
          endDay: syn.endDay,
          synthetic: true,
        };
      }
      if (!(s >= fy.startDay - 14 && e <= fy.endDay + 14)) continue;
      byLabel.set(fy.fiscalYear, fy);
    }
    const n = quarterIndex(fy, e);
    if (bucket === "quarter") {
      vote(fy, n, p.end, p.start, p.count);
    } else if (Math.abs(s - fy.startDay) <= (fy.synthetic ? 14 : 7)) {
      vote(fy, n, p.end, undefined, p.count);
    }
  }
  const top = (m: Map<string, number>): string | undefined => {
    let best: string | undefined;
    let bw = -1;
    for (const [k, w] of m) if (w > bw) [best, bw] = [k, w];
    return best;
  };
  const slots: QuarterSlot[] = [];
  const allYears = [...byLabel.values()].sort((a, b) => a.endDay - b.endDay);
  for (const fy of allYears) {
    const ends: Array<string | undefined> = [1, 2, 3, 4].map((n) => top(votes.get(`${fy.fiscalYear}|${n}`)?.ends ?? new Map()));
    if (!fy.synthetic) ends[3] = fy.end; // the fourth quarter ends with the reported year
    for (let n = 1; n <= 4; n++) {
      const end = ends[n - 1];
      if (end === undefined) continue;
      const v = votes.get(`${fy.fiscalYear}|${n}`);
      const prevEnd = n === 1 ? undefined : ends[n - 2];
      const start =
        (v && top(v.starts)) ?? (n === 1 ? fy.start : prevEnd !== undefined ? isoFromDay(dayNumber(prevEnd) + 1) : undefined);
      const endDay = dayNumber(end);
      slots.push(start === undefined ? { fy, n, end, endDay } : { fy, n, start, end, startDay: dayNumber(start), endDay });
    }
  }
  return slots;
}

function seriesFor(p: Prepared, tag: string, unit: string): Series | null {
  const key = `${tag}\u0000${unit}`;
  if (p.series.has(key)) return p.series.get(key) ?? null;
  const list = p.taxonomy[tag]?.units[unit];
  const s = list ? seriesOf(list, p.asOf) : null;
  p.series.set(key, s);
  return s;
}

/** Those of the item's tags that have facts in its unit, in preference order. */
function seriesOfItem(p: Prepared, item: LineItem): TagSeries[] {
  let list = p.itemSeries.get(item);
  if (!list) {
    const unit = unitFor(item, p.currency);
    list = [];
    for (const tag of item.tags) {
      const series = seriesFor(p, tag, unit);
      if (series) list.push({ tag, series });
    }
    p.itemSeries.set(item, list);
  }
  return list;
}

function unitFor(item: LineItem, currency: string): string {
  return item.unit === "currency" ? currency : item.unit === "perShare" ? `${currency}/shares` : "shares";
}

/**
 * A resolved value: `latest` is the latest-filed fact (its value is the value in effect);
 * `source` is the filing that first reported that value — the latest filing's own fact
 * when it changed the number (a restatement or a 10-K/A with new figures), otherwise the
 * original report that later filings merely repeated.
 */
interface Picked {
  source: RawFact;
  latest: RawFact;
}

function pick(group: readonly RawFact[] | undefined, chosen: RawFact): Picked {
  if (!group || group.length < 2) return { source: chosen, latest: chosen };
  const older = group.filter((f) => f !== chosen && !better(f, chosen)).sort((a, b) => (better(a, b) ? -1 : 1));
  let source = chosen;
  for (const f of older) {
    if (f.val !== chosen.val) break;
    source = f;
  }
  return { source, latest: chosen };
}

/** Day offsets tried when matching a period's start or end, nearest first. */
const NEAREST = [0, -1, 1, -2, 2, -3, 3] as const;
const EXACT = [0] as const;
/** Exact matches across every candidate tag first, then near ones (see tagCell). */
const MATCH_PASSES = [EXACT, NEAREST] as const;

function pickedWinner(g: PeriodGroup): Picked {
  return (g.picked ??= pick(g.all, g.winner));
}

/**
 * Duration value for startDay..endDay: exact, else within ±3 days on both ends — the
 * nearest end first and, for that end, the nearest start. Nearest first matters: Kraft
 * Heinz reports Heinz's FY2014 (2013-12-30..2014-12-28) and, from an 8-K, Kraft Foods
 * Group's 2013-12-29..2014-12-27; trying offsets from −3 upwards used to take the other
 * company's period over the exact one.
 */
function durationFact(s: Series, startDay: number, endDay: number, offsets: readonly number[] = NEAREST): Picked | undefined {
  for (const de of offsets) {
    const groups = s.durByEnd.get(endDay + de);
    if (!groups) continue;
    for (const ds of offsets) {
      for (const g of groups) if (g.startDay === startDay + ds) return pickedWinner(g);
    }
  }
  return undefined;
}

function instantFact(s: Series, endDay: number, anchorAccn?: string, offsets: readonly number[] = NEAREST): Picked | undefined {
  for (const d of offsets) {
    const g = s.inst.get(endDay + d);
    if (!g) continue;
    if (anchorAccn !== undefined && g.winner.accn !== anchorAccn) {
      const fromAnchor = g.all.find((x) => x.accn === anchorAccn);
      if (fromAnchor) return pick(g.all, fromAnchor);
    }
    return pickedWinner(g);
  }
  return undefined;
}

/**
 * The filing whose balance sheet a column shows: the latest-filed (as of asOf) filing that
 * reported both Assets and LiabilitiesAndStockholdersEquity at that date. Later filings
 * sometimes restate a single total in a selected-data table without the rest of the
 * balance sheet (Costco's 2014 total assets in its 2016 10-K); taking each tag's latest
 * value independently would then mix vintages and break assets = liabilities + equity.
 */
function balanceAnchor(p: Prepared, endDay: number): string | undefined {
  if (!p.anchors.has(endDay)) p.anchors.set(endDay, findBalanceAnchor(p, endDay));
  return p.anchors.get(endDay);
}

function findBalanceAnchor(p: Prepared, endDay: number): string | undefined {
  const assets = seriesFor(p, "Assets", p.currency);
  const lse = seriesFor(p, "LiabilitiesAndStockholdersEquity", p.currency);
  if (!assets || !lse) return undefined;
  for (const d of NEAREST) {
    const a = assets.inst.get(endDay + d);
    const l = lse.inst.get(endDay + d);
    if (!a || !l) continue;
    const lAccns = new Set(l.all.map((x) => x.accn));
    let best: RawFact | undefined;
    for (const f of a.all) if (lAccns.has(f.accn) && (!best || better(f, best))) best = f;
    if (best) return best.accn;
  }
  return undefined;
}

function cellFromPick(p: Prepared, tag: string, { source: f, latest }: Picked): CellValue {
  const c: CellValue = { value: f.val, tag, accn: f.accn, form: f.form, filed: f.filed, url: urlOf(p, f.accn) };
  if (latest !== f) c.latest = { accn: latest.accn, form: latest.form, filed: latest.filed };
  return c;
}

function inputOf(tag: string, { source: f, latest }: Picked): ValueInput {
  const i: ValueInput = { tag, end: f.end, value: f.val, accn: f.accn, form: f.form, filed: f.filed };
  if (f.start !== undefined) i.start = f.start;
  if (latest !== f) i.latest = { accn: latest.accn, form: latest.form, filed: latest.filed };
  return i;
}

/** A derived cell whose provenance is its latest-filed input. */
function derivedCell(p: Prepared, tag: string, value: number, inputs: ValueInput[]): CellValue {
  let latest = inputs[0]!;
  for (const i of inputs) if (i.filed > latest.filed) latest = i;
  return {
    value,
    tag,
    accn: latest.accn,
    form: latest.form,
    filed: latest.filed,
    url: urlOf(p, latest.accn),
    derived: true,
    inputs,
  };
}

// ───────────────────────────── columns ─────────────────────────────

interface ColumnSpec {
  column: Column;
  start?: string;
  end: string;
  startDay?: number;
  endDay: number;
  slot?: QuarterSlot;
}

function annualColumns(p: Prepared, includeTransition: boolean): ColumnSpec[] {
  const cols: ColumnSpec[] = p.years.map((y) => ({
    column: { label: `FY${y.fiscalYear}`, start: y.start, end: y.end, fiscalYear: y.fiscalYear, fiscalPeriod: "FY" },
    start: y.start,
    end: y.end,
    startDay: y.startDay,
    endDay: y.endDay,
  }));
  if (includeTransition) cols.push(...p.transitions.map((t) => transitionColumn(t)));
  return cols;
}

function transitionColumn(t: TransitionPeriod): ColumnSpec {
  return {
    column: {
      label: `Transition ${t.start}..${t.end}`,
      start: t.start,
      end: t.end,
      fiscalYear: t.fiscalYear,
      fiscalPeriod: "TR",
      transition: { forms: t.forms },
    },
    start: t.start,
    end: t.end,
    startDay: t.startDay,
    endDay: t.endDay,
  };
}

function quarterlyColumns(p: Prepared, includeTransition: boolean): ColumnSpec[] {
  const cols: ColumnSpec[] = p.quarterSlots.map((slot) => {
    const column: Column = {
      label: `Q${slot.n} FY${slot.fy.fiscalYear}`,
      end: slot.end,
      fiscalYear: slot.fy.fiscalYear,
      fiscalPeriod: `Q${slot.n}` as FiscalPeriod,
    };
    if (slot.start !== undefined) column.start = slot.start;
    const spec: ColumnSpec = { column, end: slot.end, endDay: slot.endDay, slot };
    if (slot.start !== undefined) spec.start = slot.start;
    if (slot.startDay !== undefined) spec.startDay = slot.startDay;
    return spec;
  });
  if (includeTransition) {
    for (const t of p.transitions) {
      if (bucketOf(t.endDay - t.startDay + 1) === "quarter") cols.push(transitionColumn(t));
    }
  }
  return cols;
}

// ───────────────────────────── values ─────────────────────────────

interface TaggedValue {
  value: number;
  inputs: ValueInput[];
  derived: boolean;
  picked?: Picked;
}

/** Value of a flow tag for fiscal quarter `n` of `fy` using only this tag, deriving from YTD if needed. */
function quarterFlow(
  p: Prepared,
  s: Series,
  tag: string,
  slotsOfYear: Map<number, QuarterSlot>,
  n: number,
  allowDerive: boolean,
  depth = 0,
): TaggedValue | undefined {
  const slot = slotsOfYear.get(n);
  if (!slot) return undefined;
  const direct = slot.startDay === undefined ? undefined : durationFact(s, slot.startDay, slot.endDay);
  if (direct) return { value: direct.source.val, inputs: [inputOf(tag, direct)], derived: false, picked: direct };
  if (!allowDerive || depth > 4) return undefined;
  const fy = slot.fy;
  const ytd = (k: number): Picked | undefined => {
    const sl = slotsOfYear.get(k);
    if (!sl) return undefined;
    return durationFact(s, fy.startDay, k === 4 ? fy.endDay : sl.endDay);
  };
  const cur = ytd(n);
  if (!cur || n === 1) return undefined;
  const prev = ytd(n - 1);
  if (prev) {
    return { value: cur.source.val - prev.source.val, inputs: [inputOf(tag, cur), inputOf(tag, prev)], derived: true };
  }
  // Sum of earlier quarters (each standalone or itself derived).
  let sum = 0;
  const inputs: ValueInput[] = [inputOf(tag, cur)];
  for (let k = 1; k < n; k++) {
    const q = quarterFlow(p, s, tag, slotsOfYear, k, true, depth + 1);
    if (!q) return undefined;
    sum += q.value;
    inputs.push(...q.inputs);
  }
  return { value: cur.source.val - sum, inputs, derived: true };
}

function tagCell(
  p: Prepared,
  item: LineItem,
  col: ColumnSpec,
  slotIndex: Map<number, Map<number, QuarterSlot>>,
  anchorAccn: string | undefined,
): CellValue | null {
  // Instants and annual durations: a tag that reports exactly this period beats an
  // earlier-listed tag that only comes within ±3 days. A near match is usually another
  // entity's period (Kraft Heinz's FY2014 column: Heinz's exact year under
  // SalesRevenueGoodsNet, and Kraft Foods Group's year, a day earlier, under Revenues).
  if (item.periodType === "instant" || !col.slot) {
    for (const offsets of MATCH_PASSES) {
      for (const { tag, series: s } of seriesOfItem(p, item)) {
        const f =
          item.periodType === "instant"
            ? instantFact(s, col.endDay, anchorAccn, offsets)
            : col.startDay === undefined
              ? undefined
              : durationFact(s, col.startDay, col.endDay, offsets);
        if (f) return cellFromPick(p, tag, f);
      }
    }
    return null;
  }
  for (const { tag, series: s } of seriesOfItem(p, item)) {
    const yearSlots = slotIndex.get(col.slot.fy.fiscalYear);
    if (!yearSlots) continue;
    const v = quarterFlow(p, s, tag, yearSlots, col.slot.n, item.unit === "currency");
    if (!v) continue;
    if (!v.derived && v.picked) return cellFromPick(p, tag, v.picked);
    return derivedCell(p, tag, v.value, v.inputs);
  }
  return null;
}

function buildFromPrepared(p: Prepared, opts: StatementOptions): Statement {
  const items = lineItemsFor(opts.kind);
  const includeTransition = opts.includeTransition ?? true;
  let specs = opts.period === "annual" ? annualColumns(p, includeTransition) : quarterlyColumns(p, includeTransition);
  specs.sort((a, b) => (a.end < b.end ? 1 : a.end > b.end ? -1 : 0));

  const slotIndex = new Map<number, Map<number, QuarterSlot>>();
  for (const sl of p.quarterSlots) {
    let m = slotIndex.get(sl.fy.fiscalYear);
    if (!m) slotIndex.set(sl.fy.fiscalYear, (m = new Map()));
    m.set(sl.n, sl);
  }

  // Compute cells column-major, then drop empty columns and apply limit.
  const byItem = new Map<string, Array<CellValue | null>>();
  const coherent = opts.kind === "balance" && (opts.coherentBalanceSheet ?? true);
  const anchors = specs.map((c) => (coherent ? balanceAnchor(p, c.endDay) : undefined));
  for (const item of items) {
    byItem.set(item.item, specs.map((c, ci) => tagCell(p, item, c, slotIndex, anchors[ci])));
  }
  for (const item of items) {
    if (!item.derive) continue;
    const cells = byItem.get(item.item)!;
    specs.forEach((col, ci) => {
      if (cells[ci]) return;
      const inputs: ValueInput[] = [];
      let value = 0;
      for (const term of item.derive!.terms) {
        const c = byItem.get(term.item)?.[ci];
        if (!c) return;
        value += term.sign * c.value;
        const vi: ValueInput = { item: term.item, tag: c.tag, end: col.end, value: c.value, accn: c.accn, form: c.form, filed: c.filed };
        if (item.periodType === "duration" && col.start !== undefined) vi.start = col.start;
        if (c.latest) vi.latest = c.latest;
        inputs.push(vi);
      }
      const formula = item.derive!.terms.map((t, i) => `${i === 0 ? (t.sign < 0 ? "−" : "") : t.sign < 0 ? " − " : " + "}${inputs[i]!.tag}`).join("");
      cells[ci] = derivedCell(p, formula, value, inputs);
    });
  }
  const keep = specs.map((_, ci) => items.some((it) => byItem.get(it.item)![ci] !== null));
  let idx = specs.map((_, i) => i).filter((i) => keep[i]);
  if (opts.limit !== undefined) idx = idx.slice(0, opts.limit);
  specs = idx.map((i) => specs[i]!);

  const out: Statement = {
    kind: opts.kind,
    period: opts.period,
    currency: p.currency,
    cik: p.facts.cik,
    entityName: p.facts.entityName,
    fiscalYearEnd: p.fiscalYearEnd,
    columns: specs.map((s) => {
      const c = { ...s.column };
      if (opts.kind === "balance") delete c.start;
      return c;
    }),
    rows: items.map((item) => ({
      item: item.item,
      label: item.label,
      unit: unitFor(item, p.currency),
      values: idx.map((i) => byItem.get(item.item)![i] ?? null),
    })),
  };
  if (p.asOf !== undefined) out.asOf = p.asOf;
  return out;
}

/** One statement (income, balance or cash flow), annual or quarterly, newest column first. */
export function buildStatements(facts: CompanyFacts, opts: StatementOptions): Statement {
  validateOptions(opts.asOf, opts.fiscalYearEnd, opts.limit);
  if (!["income", "balance", "cashflow"].includes(opts.kind)) {
    throw new ArgusError("INVALID_INPUT", `kind must be income, balance or cashflow, got ${String(opts.kind)}`);
  }
  if (opts.period !== "annual" && opts.period !== "quarterly") {
    throw new ArgusError("INVALID_INPUT", `period must be annual or quarterly, got ${String(opts.period)}`);
  }
  const p = prepare(facts, opts.asOf, opts.fiscalYearEnd, opts.taxonomy);
  return buildFromPrepared(p, opts);
}

export type AllStatements = Record<StatementKind, Record<PeriodKind, Statement>>;

/** All three statements × annual and quarterly, sharing one pass of preparation. */
export function buildAllStatements(
  facts: CompanyFacts,
  opts: Omit<StatementOptions, "kind" | "period"> = {},
): AllStatements {
  validateOptions(opts.asOf, opts.fiscalYearEnd, opts.limit);
  const p = prepare(facts, opts.asOf, opts.fiscalYearEnd, opts.taxonomy);
  const one = (kind: StatementKind, period: PeriodKind): Statement => buildFromPrepared(p, { ...opts, kind, period });
  return {
    income: { annual: one("income", "annual"), quarterly: one("income", "quarterly") },
    balance: { annual: one("balance", "annual"), quarterly: one("balance", "quarterly") },
    cashflow: { annual: one("cashflow", "annual"), quarterly: one("cashflow", "quarterly") },
  };
}

// ───────────────────────────── concept history ─────────────────────────────

export interface ConceptValue {
  start?: string;
  end: string;
  /** length in days for durations */
  days?: number;
  periodType: "instant" | "duration";
  bucket?: ReturnType<typeof bucketOf>;
  value: number;
  accn: string;
  form: string;
  filed: string;
  /** fiscal year/period of the FILING that reported it (not of the value) */
  fy?: number | null;
  fp?: string | null;
  frame?: string;
  url: string;
  /** how many other filings (on or before asOf) reported this period */
  otherFilings: number;
}

export interface ConceptHistory {
  taxonomy: string;
  tag: string;
  unit: string;
  label?: string | null;
  values: ConceptValue[];
}

/** Every period of one concept, de-duplicated (latest filed wins, as of asOf), newest end first. */
export function conceptHistory(
  facts: CompanyFacts,
  tag: string,
  opts: { unit?: string; asOf?: string; taxonomy?: string } = {},
): ConceptHistory {
  validateOptions(opts.asOf, undefined);
  const taxonomy = opts.taxonomy ?? "us-gaap";
  const concept = facts.facts[taxonomy]?.[tag];
  if (!concept) throw new ArgusError("NO_DATA", `${facts.entityName} has no ${taxonomy}:${tag} facts`, { tag, taxonomy });
  const units = Object.keys(concept.units);
  const unit = opts.unit ?? (units.includes("USD") ? "USD" : units[0]);
  const list = unit !== undefined ? concept.units[unit] : undefined;
  if (unit === undefined || !list) {
    throw new ArgusError("NO_DATA", `${taxonomy}:${tag} has no values in unit ${String(unit)}`, { tag, units });
  }
  const groups = new Map<string, { win: RawFact; n: number }>();
  for (const f of list) {
    if (opts.asOf !== undefined && f.filed > opts.asOf) continue;
    const k = `${f.start ?? ""}|${f.end}`;
    const g = groups.get(k);
    if (!g) groups.set(k, { win: f, n: 1 });
    else {
      g.n++;
      if (better(f, g.win)) g.win = f;
    }
  }
  const values: ConceptValue[] = [];
  for (const { win: f, n } of groups.values()) {
    const v: ConceptValue = {
      end: f.end,
      periodType: f.start === undefined ? "instant" : "duration",
      value: f.val,
      accn: f.accn,
      form: f.form,
      filed: f.filed,
      fy: f.fy ?? null,
      fp: f.fp ?? null,
      url: filingUrl(facts.cik, f.accn),
      otherFilings: n - 1,
    };
    if (f.start !== undefined) {
      v.start = f.start;
      v.days = durationDays(f.start, f.end);
      v.bucket = bucketOf(v.days);
    }
    if (f.frame !== undefined) v.frame = f.frame;
    values.push(v);
  }
  values.sort((a, b) => (a.end !== b.end ? (a.end < b.end ? 1 : -1) : (b.days ?? 0) - (a.days ?? 0)));
  return { taxonomy, tag, unit, label: concept.label ?? null, values };
}

export { LINE_ITEMS };
