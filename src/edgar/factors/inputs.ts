/**
 * Picking factor inputs out of normalised statements and raw companyfacts, each with the
 * filing it came from. Pure.
 */
import { filingUrl, type CellValue, type Column, type CompanyFacts, type RawFact, type Statement } from "../statements/index.js";
import type { FactorInput, FactorPeriod, FactorSource } from "./types.js";

// ───────────────────────────── dates ─────────────────────────────

const DAY_MS = 86_400_000;

export function dayNumber(iso: string): number {
  return Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

export function isoFromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The same calendar date `years` years earlier (Feb 29 → Feb 28). */
export function yearsBefore(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) - years;
  const md = iso.slice(5, 10) === "02-29" ? "02-28" : iso.slice(5, 10);
  return `${String(y).padStart(4, "0")}-${md}`;
}

export function near(a: string, b: string, days: number): boolean {
  return Math.abs(dayNumber(a) - dayNumber(b)) <= days;
}

// ───────────────────────────── amounts ─────────────────────────────

/**
 * A value on its way into a factor: the number (null when it cannot be had), every filed
 * input it rests on, and notes — why it is null, or how it was obtained.
 */
export interface Amount {
  value: number | null;
  inputs: FactorInput[];
  notes: string[];
}

export function missing(note: string, inputs: FactorInput[] = []): Amount {
  return { value: null, inputs, notes: [note] };
}

export function known(value: number, inputs: FactorInput[], notes: string[] = []): Amount {
  return { value, inputs, notes };
}

/** Combine amounts with `fn` when all are present; otherwise null with the notes of the missing ones. */
export function combine(parts: Amount[], fn: (values: number[]) => number): Amount {
  const inputs = parts.flatMap((p) => p.inputs);
  const notes = uniq(parts.flatMap((p) => p.notes));
  if (parts.some((p) => p.value === null)) {
    const why = uniq(parts.filter((p) => p.value === null).flatMap((p) => p.notes));
    return { value: null, inputs, notes: why.length > 0 ? why : notes };
  }
  return { value: fn(parts.map((p) => p.value as number)), inputs, notes };
}

export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

// ───────────────────────────── statement cells ─────────────────────────────

/** Index of the column ending within ±`tol` days of `end` (and starting near `start` when both have one). */
export function findColumn(
  s: Statement,
  end: string,
  opts: { start?: string; tol?: number; accept?: (c: Column) => boolean } = {},
): number {
  const tol = opts.tol ?? 3;
  let best = -1;
  let bestDist = Infinity;
  s.columns.forEach((c, i) => {
    if (opts.accept && !opts.accept(c)) return;
    const d = Math.abs(dayNumber(c.end) - dayNumber(end));
    if (d > tol) return;
    if (opts.start !== undefined && c.start !== undefined && !near(c.start, opts.start, tol)) return;
    if (d < bestDist) [best, bestDist] = [i, d];
  });
  return best;
}

export function cellAt(s: Statement, item: string, col: number): CellValue | null {
  if (col < 0) return null;
  return s.rows.find((r) => r.item === item)?.values[col] ?? null;
}

export function periodOf(c: Column, instant = false): FactorPeriod {
  const p: FactorPeriod = { label: c.label, end: c.end };
  if (!instant && c.start !== undefined) p.start = c.start;
  return p;
}

export function inputFromCell(s: Statement, cell: CellValue, name: string, period: FactorPeriod): FactorInput {
  const i: FactorInput = {
    name,
    value: cell.value,
    period,
    tag: cell.tag,
    accn: cell.accn,
    form: cell.form,
    filed: cell.filed,
    url: cell.url,
  };
  if (cell.derived) {
    i.derived = true;
    if (cell.inputs) {
      i.derivedFrom = cell.inputs.map((v) => {
        const src: FactorSource = { tag: v.tag, value: v.value, end: v.end, accn: v.accn, form: v.form, filed: v.filed, url: filingUrl(s.cik, v.accn) };
        if (v.start !== undefined) src.start = v.start;
        return src;
      });
    }
  }
  if (cell.latest && cell.latest.accn !== cell.accn) i.latest = { ...cell.latest };
  return i;
}

/** One statement cell as an amount; null with a note naming the line item and period when absent. */
export function cellAmount(s: Statement, item: string, col: number, name: string, what: string): Amount {
  const c = col >= 0 ? s.columns[col] : undefined;
  const cell = cellAt(s, item, col);
  if (!c || !cell) return missing(`no ${what} reported${c ? ` for ${c.label}` : ""}`);
  return known(cell.value, [inputFromCell(s, cell, name, periodOf(c, s.kind === "balance"))]);
}

// ───────────────────────────── raw facts ─────────────────────────────

/** Latest filed wins; on the same day an amendment (…/A) wins, then the higher accession (as build.ts). */
export function betterFact(a: RawFact, b: RawFact): boolean {
  if (a.filed !== b.filed) return a.filed > b.filed;
  const aAm = a.form.endsWith("/A");
  const bAm = b.form.endsWith("/A");
  if (aAm !== bAm) return aAm;
  return a.accn > b.accn;
}

export function factsOf(facts: CompanyFacts, taxonomy: string, tag: string, unit: string, asOf: string | undefined): RawFact[] {
  const list = facts.facts[taxonomy]?.[tag]?.units[unit] ?? [];
  return asOf === undefined ? list : list.filter((f) => f.filed <= asOf);
}

/**
 * The value of an instant concept at `end` (±3 days) as of `asOf`: the latest-filed fact;
 * its provenance is the first filing that reported that same value (later re-reports go
 * into `latest`), as the statements do.
 */
export function instantFact(
  facts: CompanyFacts,
  tag: string,
  unit: string,
  end: string,
  asOf: string | undefined,
  taxonomy = "us-gaap",
): { value: number; source: RawFact; latest: RawFact } | undefined {
  const list = factsOf(facts, taxonomy, tag, unit, asOf).filter((f) => f.start === undefined);
  const ed = dayNumber(end);
  for (const d of [0, -1, 1, -2, 2, -3, 3]) {
    const e = isoFromDay(ed + d);
    const group = list.filter((f) => f.end === e);
    if (group.length > 0) return pickLatest(group);
  }
  return undefined;
}

/**
 * The value of a duration concept for start..end (each ±3 days) as of `asOf`, with the same
 * provenance rule as instantFact.
 */
export function durationFact(
  facts: CompanyFacts,
  tag: string,
  unit: string,
  start: string,
  end: string,
  asOf: string | undefined,
  taxonomy = "us-gaap",
): { value: number; source: RawFact; latest: RawFact } | undefined {
  const sd = dayNumber(start);
  const ed = dayNumber(end);
  const group = factsOf(facts, taxonomy, tag, unit, asOf).filter(
    (f) => f.start !== undefined && Math.abs(dayNumber(f.start) - sd) <= 3 && Math.abs(dayNumber(f.end) - ed) <= 3,
  );
  if (group.length === 0) return undefined;
  // the closest period first, then the usual latest-filed rule within it
  const dist = (f: RawFact): number => Math.abs(dayNumber(f.start!) - sd) + Math.abs(dayNumber(f.end) - ed);
  const closest = group.reduce((a, b) => (dist(b) < dist(a) ? b : a));
  return pickLatest(group.filter((f) => f.start === closest.start && f.end === closest.end));
}

/** Latest-filed fact of one period; its source is the first filing that reported the same value. */
function pickLatest(group: RawFact[]): { value: number; source: RawFact; latest: RawFact } {
  let win = group[0]!;
  for (const f of group) if (betterFact(f, win)) win = f;
  const older = group.filter((f) => f !== win && !betterFact(f, win)).sort((a, b) => (betterFact(a, b) ? -1 : 1));
  let source = win;
  for (const f of older) {
    if (f.val !== win.val) break;
    source = f;
  }
  return { value: win.val, source, latest: win };
}

export function inputFromFact(
  facts: CompanyFacts,
  tag: string,
  name: string,
  picked: { value: number; source: RawFact; latest: RawFact },
  period: FactorPeriod,
): FactorInput {
  const f = picked.source;
  const i: FactorInput = { name, value: picked.value, period, tag, accn: f.accn, form: f.form, filed: f.filed, url: filingUrl(facts.cik, f.accn) };
  if (picked.latest.accn !== f.accn) i.latest = { accn: picked.latest.accn, form: picked.latest.form, filed: picked.latest.filed };
  return i;
}
