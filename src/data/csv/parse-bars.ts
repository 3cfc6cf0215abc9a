import { parse } from "csv-parse/sync";
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../bar.js";
import type { NyseCalendar } from "../calendar/nyse-calendar.js";
import { INTRADAY_MINUTES, isIntraday, type Timeframe } from "../timeframes.js";
import { matchLayout, type BarField, type ColumnIndexes, type CsvLayout } from "./layouts.js";
import { resolveCsvImportOptions, type CsvImportOptions } from "./options.js";
import { parseStamp, type ParsedStamp } from "./timestamps.js";
import { ZoneTime } from "../calendar/zone-time.js";
import { toExchangeIso } from "../calendar/zone.js";

export { csvImportOptionsSchema, type CsvImportOptions, type ResolvedCsvImportOptions } from "./options.js";
export type { CsvLayout } from "./layouts.js";

export type CsvRowError = {
  /** 1-based line number in the file; the header is line 1. */
  line: number;
  message: string;
  /** The row's text, shortened. */
  raw?: string;
};

export type CsvParseResult = {
  /** Ascending by t. Empty when there are bad rows and skipBadRows is false. */
  bars: Bar[];
  layout: CsvLayout;
  timeframe: Timeframe;
  /** How stamps were read: a bar's start or its end (1Day bars always start at 00:00 New York). */
  timeLabel: "start" | "end";
  timeZone: string;
  /** Header name used for each field. */
  mapping: Partial<Record<BarField | "date", string>>;
  /** Data rows in the file (header and blank lines excluded). */
  rowsRead: number;
  /** Exact number of rejected rows; `errors` lists at most MAX_LISTED_ERRORS of them. */
  badRows: number;
  errors: CsvRowError[];
  firstT: number | null;
  lastT: number | null;
};

export const MAX_LISTED_ERRORS = 1000;
const RAW_MAX = 200;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

interface Candidate {
  line: number;
  raw: string;
  stamp: ParsedStamp;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  adjClose?: number;
}

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

function readRecords(text: string): CsvRecord[] {
  try {
    return parse(text, {
      bom: true,
      info: true,
      raw: true,
      // Wrong column counts are reported per row, not as a file-level failure.
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // Spreadsheet exports often end with rows of bare commas; they carry nothing.
      skip_records_with_empty_values: true,
      trim: true,
    }) as unknown as CsvRecord[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new ArgusError("CSV_MALFORMED", `CSV syntax error${e.lines ? ` at line ${e.lines}` : ""}: ${e.message ?? String(err)}`);
  }
}

/** The record's text without the blank lines csv-parse folds into it, and its first line number. */
function located(r: CsvRecord): { line: number; raw: string } {
  const raw = r.raw.replace(/^(?:\r?\n)+/, "").replace(/\r?\n$/, "");
  const inner = (raw.match(/\n/g) ?? []).length;
  return { line: r.info.lines - inner, raw: raw.length > RAW_MAX ? raw.slice(0, RAW_MAX) + "…" : raw };
}

/** Strict number cell: plain decimal or exponent notation; no thousands separators, no "null". */
function num(cells: string[], i: number, name: string, problems: string[]): number {
  const s = (cells[i] ?? "").trim();
  if (s === "") {
    problems.push(`${name} is empty`);
    return NaN;
  }
  if (!NUMBER.test(s)) {
    problems.push(`${name} "${s}" is not a number`);
    return NaN;
  }
  return Number(s);
}

/** Field-level checks of one row; returns the problems found (empty when the row is good). */
function checkRow(cells: string[], idx: ColumnIndexes): { problems: string[]; values?: Omit<Candidate, "line" | "raw" | "stamp"> } {
  const problems: string[] = [];
  const open = num(cells, idx.open, "open", problems);
  const high = num(cells, idx.high, "high", problems);
  const low = num(cells, idx.low, "low", problems);
  const close = num(cells, idx.close, "close", problems);
  const volume = num(cells, idx.volume, "volume", problems);
  const adjClose = idx.adjClose === undefined ? undefined : num(cells, idx.adjClose, "adj close", problems);
  if (problems.length > 0) return { problems };
  const text = (i: number) => (cells[i] ?? "").trim();
  for (const [name, v, i] of [["open", open, idx.open], ["high", high, idx.high], ["low", low, idx.low], ["close", close, idx.close]] as const) {
    if (v <= 0) problems.push(`${name} ${text(i)} is not positive`);
  }
  if (adjClose !== undefined && adjClose <= 0) problems.push(`adj close ${text(idx.adjClose!)} is not positive`);
  if (volume < 0) problems.push(`volume ${text(idx.volume)} is negative`);
  // Ordering checks on a zero or negative price would only repeat the same problem.
  if (problems.length > 0) return { problems };
  if (high < low) {
    problems.push(`high ${text(idx.high)} is below low ${text(idx.low)}`);
  } else {
    if (high < Math.max(open, close)) {
      const [n, i] = open >= close ? ["open", idx.open] : ["close", idx.close];
      problems.push(`high ${text(idx.high)} is below ${n} ${text(i)}`);
    }
    if (low > Math.min(open, close)) {
      const [n, i] = open <= close ? ["open", idx.open] : ["close", idx.close];
      problems.push(`low ${text(idx.low)} is above ${n} ${text(i)}`);
    }
  }
  if (problems.length > 0) return { problems };
  return { problems, values: { open, high, low, close, volume, ...(adjClose !== undefined ? { adjClose } : {}) } };
}

const SIZE_TO_TIMEFRAME = new Map<number, Timeframe>(
  (Object.entries(INTRADAY_MINUTES) as [Timeframe, number][]).map(([tf, m]) => [m * 60_000, tf]),
);

/**
 * The bar size when the caller gave none. Date-only stamps (or every stamp at local
 * midnight) mean daily bars. Otherwise the closest spacing between stamps names the
 * size; a spacing that is no supported bar size is an error rather than a guess.
 */
function inferTimeframe(cands: Candidate[], local: ZoneTime): Timeframe {
  const timed = cands.filter((c) => c.stamp.kind !== "date");
  if (timed.length === 0) return "1Day";
  const allMidnight = timed.every((c) => {
    const ms = (c.stamp as { ms: number }).ms;
    return local.startOfDay(local.dateOf(ms)) === ms;
  });
  if (allMidnight) return "1Day";
  const times = [...new Set(timed.map((c) => (c.stamp as { ms: number }).ms))].sort((a, b) => a - b);
  if (times.length < 2) return "1Min";
  let min = Infinity;
  for (let i = 1; i < times.length; i++) min = Math.min(min, times[i]! - times[i - 1]!);
  const tf = SIZE_TO_TIMEFRAME.get(min);
  if (!tf) {
    throw new ArgusError(
      "INVALID_INPUT",
      `Cannot infer the bar size: the closest time stamps are ${min / 60_000} minutes apart, which is not 1Min, 5Min, 15Min or 1Hour. Pass timeframe explicitly.`,
    );
  }
  return tf;
}

/**
 * Parses OHLCV bars from CSV text. Pure: no files, no database. Every bad row is
 * reported with its line number; when any row is bad and `skipBadRows` is false no bars
 * are returned, so a partly broken file is never imported by accident (see
 * assertImportable). Throws INVALID_INPUT for bad options or an unrecognised header and
 * CSV_MALFORMED for an empty file, a header without rows, or broken CSV syntax.
 */
export function parseBarsCsv(text: string, options: CsvImportOptions, calendar: NyseCalendar): CsvParseResult {
  const opts = resolveCsvImportOptions(options);
  if (text.replace(/^\uFEFF/, "").trim() === "") {
    throw new ArgusError("CSV_MALFORMED", "The CSV is empty: expected a header such as Date,Open,High,Low,Close,Volume and one row per bar.");
  }
  const records = readRecords(text);
  const [head, ...rows] = records;
  if (!head) throw new ArgusError("CSV_MALFORMED", "The CSV is empty.");
  if (rows.length === 0) {
    throw new ArgusError("CSV_MALFORMED", `The CSV has a header (${head.record.join(",")}) but no data rows.`);
  }
  const match = matchLayout(head.record, opts);
  const width = head.record.length;
  const local = new ZoneTime(opts.timeZone);
  const errors: CsvRowError[] = [];
  const cands: Candidate[] = [];

  for (const r of rows) {
    const { line, raw } = located(r);
    const cells = r.record;
    if (cells.length !== width) {
      errors.push({ line, raw, message: `expected ${width} columns, found ${cells.length}` });
      continue;
    }
    const stampText = match.indexes.date === undefined ? cells[match.indexes.time] ?? "" : `${cells[match.indexes.date] ?? ""} ${cells[match.indexes.time] ?? ""}`;
    const stamp = parseStamp(stampText, local);
    const { problems, values } = checkRow(cells, match.indexes);
    if (typeof stamp === "string") problems.unshift(stamp);
    if (problems.length > 0 || !values || typeof stamp === "string") {
      errors.push({ line, raw, message: problems.join("; ") });
      continue;
    }
    cands.push({ line, raw, stamp, ...values });
  }

  const timeframe = opts.timeframe ?? inferTimeframe(cands, local);
  const timeLabel = isIntraday(timeframe) ? opts.timeLabel ?? match.defaultTimeLabel : "start";
  const shift = isIntraday(timeframe) && timeLabel === "end" ? INTRADAY_MINUTES[timeframe] * 60_000 : 0;

  const seen = new Map<number, number>();
  const good: (Bar & { line: number })[] = [];
  for (const c of cands) {
    let t: number;
    if (!isIntraday(timeframe)) {
      // A daily bar is its session date; stamps with a time keep the date as written (or,
      // for epoch numbers, the date in the import zone) so a UTC-midnight stamp is not
      // pulled back into the previous day.
      const date = c.stamp.kind === "instant" && c.stamp.date === undefined ? local.dateOf(c.stamp.ms) : (c.stamp as { date: string }).date;
      t = calendar.startOfDay(date);
    } else if (c.stamp.kind === "date") {
      errors.push({ line: c.line, raw: c.raw, message: `date "${c.stamp.date}" has no time of day, but the bars are ${timeframe}` });
      continue;
    } else {
      t = c.stamp.ms - shift;
    }
    const first = seen.get(t);
    if (first !== undefined) {
      errors.push({ line: c.line, raw: c.raw, message: `duplicate time stamp: bar ${toExchangeIso(t)} already on line ${first}` });
      continue;
    }
    seen.set(t, c.line);
    const bar: Bar & { line: number } = { line: c.line, t, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
    if (c.adjClose !== undefined) bar.adjClose = c.adjClose;
    good.push(bar);
  }

  errors.sort((a, b) => a.line - b.line);
  const importable = errors.length === 0 || opts.skipBadRows;
  const bars: Bar[] = importable ? good.sort((a, b) => a.t - b.t).map(({ line: _line, ...bar }) => bar) : [];
  return {
    bars,
    layout: match.layout,
    timeframe,
    timeLabel,
    timeZone: opts.timeZone,
    mapping: match.mapping,
    rowsRead: rows.length,
    badRows: errors.length,
    errors: errors.slice(0, MAX_LISTED_ERRORS),
    firstT: bars[0]?.t ?? null,
    lastT: bars.at(-1)?.t ?? null,
  };
}

/**
 * Throws CSV_MALFORMED unless the result can be imported: no bad rows, or bad rows with
 * skipBadRows set, and at least one good bar. The message names the first bad line so a
 * person can fix the file; details carry the first 50 errors.
 */
export function assertImportable(result: CsvParseResult, opts: { fileName?: string; skipBadRows?: boolean } = {}): void {
  const file = opts.fileName ?? "CSV";
  if (result.badRows > 0 && !opts.skipBadRows) {
    const first = result.errors[0];
    const rows = result.badRows === 1 ? "1 bad row" : `${result.badRows} bad rows`;
    throw new ArgusError(
      "CSV_MALFORMED",
      `${file}: ${rows}; first: line ${first?.line}: ${first?.message}; fix them or pass skipBadRows to import the rest.`,
      { errors: result.errors.slice(0, 50), badRows: result.badRows, rowsRead: result.rowsRead },
    );
  }
  if (result.bars.length === 0) {
    throw new ArgusError("CSV_MALFORMED", `${file}: no importable rows (${result.rowsRead} read, ${result.badRows} bad).`, {
      errors: result.errors.slice(0, 50),
      badRows: result.badRows,
      rowsRead: result.rowsRead,
    });
  }
}
