import { ArgusError } from "../../core/errors.js";
import type { CsvColumns, ResolvedCsvImportOptions } from "./options.js";

export type CsvLayout = "yahoo" | "indexed" | "minute" | "generic" | "custom";
export type BarField = "time" | "open" | "high" | "low" | "close" | "volume" | "adjClose";
const REQUIRED: readonly BarField[] = ["time", "open", "high", "low", "close", "volume"];

/** Where each field sits in a record. `date` is set when date and time of day are separate columns. */
export interface ColumnIndexes {
  time: number;
  date?: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  adjClose?: number;
}

export interface LayoutMatch {
  layout: CsvLayout;
  indexes: ColumnIndexes;
  /** The header names used for each field, for reports. */
  mapping: Partial<Record<BarField | "date", string>>;
  /**
   * The stamp convention when the caller gives none. Only the eqker-style minute layout
   * labels bars by their END (its "09:31:00" row is the 09:30–09:31 bar); everything else
   * we know (Yahoo, pandas dumps, Alpaca exports) labels the start.
   */
  defaultTimeLabel: "start" | "end";
}

/** Header synonyms after normalisation (lowercase, letters and digits only), in order of preference. */
const SYNONYMS: Record<BarField, readonly string[]> = {
  time: ["timestamp", "datetime", "date", "time", "ts", "t"],
  open: ["open", "openprice", "o"],
  high: ["high", "highprice", "h"],
  low: ["low", "lowprice", "l"],
  close: ["close", "closeprice", "last", "c"],
  volume: ["volume", "vol", "v"],
  adjClose: ["adjclose", "adjustedclose", "adjcloseprice"],
};

export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]/g, "");
}

function describeHeader(header: string[]): string {
  return header.map((h) => (h.trim() === "" ? "(unnamed)" : `"${h}"`)).join(", ");
}

function mappingHint(): string {
  return 'pass columns: { time: "<header>", open: "<header>", high: "<header>", low: "<header>", close: "<header>", volume: "<header>", adjClose?: "<header>" } to map them';
}

/** Finds each field's column by synonym. Throws INVALID_INPUT when a required field is missing or ambiguous. */
function resolveBySynonyms(header: string[]): Pick<LayoutMatch, "indexes" | "mapping"> {
  const norm = header.map(normalizeHeader);
  const seen = new Map<string, number>();
  const known = new Set(Object.values(SYNONYMS).flat());
  norm.forEach((n, i) => {
    // Only a repeated field name is ambiguous; repeats among other columns are ignored.
    if (known.has(n) && seen.has(n)) {
      throw new ArgusError("INVALID_INPUT", `CSV header has two columns named "${header[i]}"; found columns ${describeHeader(header)}; ${mappingHint()}.`);
    }
    seen.set(n, i);
  });
  const find = (field: BarField): number | undefined => {
    for (const syn of SYNONYMS[field]) {
      const i = seen.get(syn);
      if (i !== undefined) return i;
    }
    return undefined;
  };
  const found: Partial<Record<BarField, number>> = {};
  for (const f of Object.keys(SYNONYMS) as BarField[]) {
    const i = find(f);
    if (i !== undefined) found[f] = i;
  }
  const missing = REQUIRED.filter((f) => found[f] === undefined);
  if (missing.length > 0) {
    // A file without a header line shows up here with numbers as "column names".
    const looksLikeData = header.filter((h) => /^[+-]?[\d.]/.test(h.trim())).length >= 3;
    throw new ArgusError(
      "INVALID_INPUT",
      `CSV header not recognised: found columns ${describeHeader(header)}; could not find ${missing.join(", ")}. ` +
        (looksLikeData ? "The first line looks like data: add a header line such as Date,Open,High,Low,Close,Volume." : `Rename the header or ${mappingHint()}.`),
      { columns: header, missing },
    );
  }
  const indexes: ColumnIndexes = {
    time: found.time!,
    open: found.open!,
    high: found.high!,
    low: found.low!,
    close: found.close!,
    volume: found.volume!,
  };
  if (found.adjClose !== undefined) indexes.adjClose = found.adjClose;
  // Vendors that split date and time of day into two columns ("Date,Time,Open,...").
  const timeOnly = seen.get("time");
  const dateOnly = seen.get("date");
  if (timeOnly !== undefined && dateOnly !== undefined && (indexes.time === timeOnly || indexes.time === dateOnly)) {
    indexes.date = dateOnly;
    indexes.time = timeOnly;
  }
  return { indexes, mapping: mappingOf(header, indexes) };
}

function mappingOf(header: string[], idx: ColumnIndexes): LayoutMatch["mapping"] {
  const out: LayoutMatch["mapping"] = {};
  for (const [k, i] of Object.entries(idx) as [keyof ColumnIndexes, number | undefined][]) {
    if (i !== undefined) out[k] = header[i] ?? "";
  }
  return out;
}

/** Explicit mapping: exact header names first, then the same normalisation as auto-detection. */
function resolveCustom(header: string[], columns: CsvColumns): Pick<LayoutMatch, "indexes" | "mapping"> {
  const norm = header.map(normalizeHeader);
  const lookup = (field: BarField, name: string): number => {
    let i = header.findIndex((h) => h.trim() === name.trim());
    if (i < 0) i = header.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
    if (i < 0 && normalizeHeader(name) !== "") i = norm.indexOf(normalizeHeader(name));
    if (i < 0) {
      throw new ArgusError(
        "INVALID_INPUT",
        `columns.${field} is "${name}", but the CSV header has no such column; found columns ${describeHeader(header)}.`,
        { columns: header },
      );
    }
    return i;
  };
  const indexes: ColumnIndexes = {
    time: lookup("time", columns.time),
    open: lookup("open", columns.open),
    high: lookup("high", columns.high),
    low: lookup("low", columns.low),
    close: lookup("close", columns.close),
    volume: lookup("volume", columns.volume),
  };
  if (columns.adjClose !== undefined) indexes.adjClose = lookup("adjClose", columns.adjClose);
  return { indexes, mapping: mappingOf(header, indexes) };
}

/** The layout a header looks like once its fields are resolved. */
function classify(header: string[], idx: ColumnIndexes): CsvLayout {
  if ((header[0] ?? "").trim() === "") return "indexed";
  if (idx.adjClose !== undefined) return "yahoo";
  const minute = ["datetime", "open", "high", "low", "close", "volume"];
  if (header.length === minute.length && header.every((h, i) => normalizeHeader(h) === minute[i])) return "minute";
  return "generic";
}

/** Resolves the header into column positions and a layout, honouring a forced layout or mapping. */
export function matchLayout(header: string[], opts: Pick<ResolvedCsvImportOptions, "layout" | "columns">): LayoutMatch {
  if (opts.columns) {
    return { layout: "custom", ...resolveCustom(header, opts.columns), defaultTimeLabel: "start" };
  }
  const resolved = resolveBySynonyms(header);
  const detected = classify(header, resolved.indexes);
  let layout: CsvLayout = detected;
  if (opts.layout !== "auto" && opts.layout !== "custom") {
    // A forced layout must still fit the header; it mainly fixes the stamp convention.
    if (opts.layout === "yahoo" && resolved.indexes.adjClose === undefined) {
      throw new ArgusError("INVALID_INPUT", `layout "yahoo" expects Date,Open,High,Low,Close,Adj Close,Volume; found columns ${describeHeader(header)}.`);
    }
    if (opts.layout === "indexed" && detected !== "indexed") {
      throw new ArgusError("INVALID_INPUT", `layout "indexed" expects a leading unnamed index column (",date,open,high,low,close,volume"); found columns ${describeHeader(header)}.`);
    }
    layout = opts.layout;
  }
  return { layout, ...resolved, defaultTimeLabel: layout === "minute" ? "end" : "start" };
}
