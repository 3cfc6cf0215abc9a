/**
 * Training data for the probability model: daily CSVs → per-symbol columns → labelled
 * feature rows → walk-forward splits by date with purging.
 *
 * Label of the row at bar i (date d): 1 when adjClose[i + h] / adjClose[i] − 1 > 0, i.e.
 * the total return (splits and dividends adjusted) over the next h sessions is positive.
 * The row is known at the close of d; its label is known at the close of bar i + h (its
 * "label date").
 *
 * Purging: a row belongs to the split containing its date, but is dropped when its label
 * date falls after that split's end — otherwise a training label would be made of prices
 * from the validation period (and a validation label of test prices), which leaks the
 * future across the boundary the split is meant to enforce.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { ArgusError } from "../../core/errors.js";
import { dayNumber, isoDate } from "../../data/calendar/dates.js";
import { NyseCalendar } from "../../data/calendar/nyse-calendar.js";
import { assertImportable, parseBarsCsv } from "../../data/csv/parse-bars.js";
import { computeFeatures, FEATURE_COUNT } from "../features.js";

export interface SymbolSeries {
  symbol: string;
  /** Session dates as day numbers (days since 1970-01-01), ascending. */
  day: Int32Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Split- and dividend-adjusted close (the label's price). */
  adjClose: Float64Array;
}

export interface LoadedData {
  /** Sorted by symbol. */
  series: SymbolSeries[];
  /** Files not used, with the reason. */
  skipped: { file: string; reason: string }[];
  /** SHA-256 over the used files' names and contents, in name order. */
  sha256: string;
}

const DAY_MS = 86_400_000;

/**
 * Reads every `*.csv` in `dir` with the project's CSV parser (layout detected from the
 * header). Files whose bars have no adjusted close are skipped (the label needs total
 * returns); a file with bad rows, or with bars that are not daily, is an error.
 */
export function loadDailyCsvDir(dir: string): LoadedData {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ArgusError("FILE_NOT_FOUND", `Training data directory not found: ${dir}. Pass --data <dir> with one daily CSV per symbol.`);
  }
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(".csv"))
    .sort();
  if (files.length === 0) throw new ArgusError("NO_DATA", `No .csv files in ${dir}.`);
  const calendar = new NyseCalendar();
  const series: SymbolSeries[] = [];
  const skipped: LoadedData["skipped"] = [];
  const hash = createHash("sha256");
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    const parsed = parseBarsCsv(text, {}, calendar);
    assertImportable(parsed, { fileName: file });
    if (parsed.timeframe !== "1Day") {
      throw new ArgusError("INVALID_INPUT", `${file}: bars are ${parsed.timeframe}, the model trains on daily bars.`);
    }
    const bars = parsed.bars;
    if (bars.some((b) => b.adjClose == null)) {
      skipped.push({ file, reason: `no adjusted close column (layout "${parsed.layout}"): the label needs split- and dividend-adjusted prices` });
      continue;
    }
    const n = bars.length;
    const s: SymbolSeries = {
      symbol: basename(file).replace(/\.csv$/i, "").toUpperCase(),
      day: new Int32Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
      adjClose: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const b = bars[i]!;
      // A daily bar starts at 00:00 New York, which is 04:00 or 05:00 UTC of the same date.
      s.day[i] = Math.floor(b.t / DAY_MS);
      s.open[i] = b.open;
      s.high[i] = b.high;
      s.low[i] = b.low;
      s.close[i] = b.close;
      s.volume[i] = b.volume;
      s.adjClose[i] = b.adjClose!;
    }
    series.push(s);
    hash.update(`${file}\n`);
    hash.update(createHash("sha256").update(text).digest("hex") + "\n");
  }
  if (series.length === 0) throw new ArgusError("NO_DATA", `No usable daily CSVs in ${dir} (${skipped.length} skipped).`);
  series.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return { series, skipped, sha256: hash.digest("hex") };
}

/** Labelled rows, ordered by symbol then date. */
export interface Dataset {
  rows: number;
  cols: number;
  /** rows × cols, row-major. */
  x: Float64Array;
  y: Uint8Array;
  /** Forward total return over the horizon. */
  forwardReturn: Float64Array;
  /** Row date and label date as day numbers. */
  day: Int32Array;
  labelDay: Int32Array;
  /** Index into `symbols`. */
  symbolIndex: Uint16Array;
  symbols: readonly string[];
}

/** Every row whose features are all finite and whose label exists (h sessions of data after it). */
export function buildDataset(series: readonly SymbolSeries[], horizon: number): Dataset {
  if (!Number.isInteger(horizon) || horizon < 1) throw new ArgusError("INVALID_INPUT", `horizon must be a positive whole number of sessions, got ${horizon}.`);
  const F = FEATURE_COUNT;
  const parts: { s: number; feats: Float64Array; idx: number[] }[] = [];
  let total = 0;
  series.forEach((s, si) => {
    const f = computeFeatures(s);
    const idx: number[] = [];
    for (let i = 0; i + horizon < f.rows; i++) if (f.valid[i] === 1) idx.push(i);
    parts.push({ s: si, feats: f.matrix, idx });
    total += idx.length;
  });
  const ds: Dataset = {
    rows: total,
    cols: F,
    x: new Float64Array(total * F),
    y: new Uint8Array(total),
    forwardReturn: new Float64Array(total),
    day: new Int32Array(total),
    labelDay: new Int32Array(total),
    symbolIndex: new Uint16Array(total),
    symbols: series.map((s) => s.symbol),
  };
  let r = 0;
  for (const { s: si, feats, idx } of parts) {
    const s = series[si]!;
    for (const i of idx) {
      ds.x.set(feats.subarray(i * F, (i + 1) * F), r * F);
      const ret = s.adjClose[i + horizon]! / s.adjClose[i]! - 1;
      ds.forwardReturn[r] = ret;
      ds.y[r] = ret > 0 ? 1 : 0;
      ds.day[r] = s.day[i]!;
      ds.labelDay[r] = s.day[i + horizon]!;
      ds.symbolIndex[r] = si;
      r++;
    }
  }
  return ds;
}

/** Rows `indexes` of a dataset, in that order. */
export function subset(ds: Dataset, indexes: ArrayLike<number>): Dataset {
  const n = indexes.length;
  const F = ds.cols;
  const out: Dataset = {
    rows: n,
    cols: F,
    x: new Float64Array(n * F),
    y: new Uint8Array(n),
    forwardReturn: new Float64Array(n),
    day: new Int32Array(n),
    labelDay: new Int32Array(n),
    symbolIndex: new Uint16Array(n),
    symbols: ds.symbols,
  };
  for (let k = 0; k < n; k++) {
    const i = indexes[k]!;
    out.x.set(ds.x.subarray(i * F, (i + 1) * F), k * F);
    out.y[k] = ds.y[i]!;
    out.forwardReturn[k] = ds.forwardReturn[i]!;
    out.day[k] = ds.day[i]!;
    out.labelDay[k] = ds.labelDay[i]!;
    out.symbolIndex[k] = ds.symbolIndex[i]!;
  }
  return out;
}

/** Inclusive last dates of each split (ISO); train starts with the data. */
export interface SplitBoundaries {
  trainEnd: string;
  validationEnd: string;
  testEnd: string;
}

export const DEFAULT_SPLITS: SplitBoundaries = { trainEnd: "2014-12-31", validationEnd: "2017-12-31", testEnd: "2020-12-31" };

export const SPLIT_NAMES = ["train", "validation", "test"] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

export interface SplitInfo {
  /** Calendar range of the split (ISO, inclusive); `from` of train is the first row's date. */
  from: string;
  to: string;
  /** First and last row dates actually kept. */
  firstRow: string | null;
  lastRow: string | null;
  rows: number;
  /** Rows dropped because their label date is after `to`. */
  purged: number;
}

export interface Splits {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  info: Record<SplitName, SplitInfo>;
  /** Rows dated after testEnd (ignored). */
  afterTest: number;
}

export function splitDataset(ds: Dataset, b: SplitBoundaries = DEFAULT_SPLITS): Splits {
  const ends: number[] = [dayNumber(b.trainEnd), dayNumber(b.validationEnd), dayNumber(b.testEnd)];
  if (!(ends[0]! < ends[1]! && ends[1]! < ends[2]!)) {
    throw new ArgusError("INVALID_INPUT", `Split boundaries must increase: ${b.trainEnd} < ${b.validationEnd} < ${b.testEnd}.`);
  }
  const keep: number[][] = [[], [], []];
  const purged = [0, 0, 0];
  let afterTest = 0;
  let firstDay = Infinity;
  for (let i = 0; i < ds.rows; i++) {
    const d = ds.day[i]!;
    firstDay = Math.min(firstDay, d);
    const k = d <= ends[0]! ? 0 : d <= ends[1]! ? 1 : d <= ends[2]! ? 2 : -1;
    if (k < 0) {
      afterTest++;
      continue;
    }
    if (ds.labelDay[i]! > ends[k]!) purged[k]!++;
    else keep[k]!.push(i);
  }
  const parts = keep.map((idx) => subset(ds, idx));
  const froms = [Number.isFinite(firstDay) ? isoDate(firstDay) : b.trainEnd, isoDate(ends[0]! + 1), isoDate(ends[1]! + 1)];
  const tos = [b.trainEnd, b.validationEnd, b.testEnd];
  const info = {} as Record<SplitName, SplitInfo>;
  SPLIT_NAMES.forEach((name, k) => {
    const p = parts[k]!;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < p.rows; i++) {
      lo = Math.min(lo, p.day[i]!);
      hi = Math.max(hi, p.day[i]!);
    }
    info[name] = {
      from: froms[k]!,
      to: tos[k]!,
      firstRow: p.rows > 0 ? isoDate(lo) : null,
      lastRow: p.rows > 0 ? isoDate(hi) : null,
      rows: p.rows,
      purged: purged[k]!,
    };
  });
  return { train: parts[0]!, validation: parts[1]!, test: parts[2]!, info, afterTest };
}
