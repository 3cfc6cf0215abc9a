import { readFileSync, realpathSync, statSync } from "node:fs";
import { basename, relative, isAbsolute } from "node:path";
import { distance } from "fastest-levenshtein";
import type { ArgusConfig } from "../core/config.js";
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { SymbolRow } from "../db/schema.js";
import { aggregateMinuteBars } from "./aggregate.js";
import type { Bar } from "./bar.js";
import type { BarsStore, TimeframeCoverage } from "./bars-store.js";
import type { NyseCalendar, TradingSession } from "./calendar/nyse-calendar.js";
import { assertImportable, parseBarsCsv, type CsvImportOptions } from "./csv/parse-bars.js";
import { DEMO_SOURCE, loadDemoDataset } from "./demo/load.js";
import { assessQuality, type QualityReport } from "./quality/quality.js";
import { symbolFromFileName, SYMBOL_PATTERN } from "./symbol.js";
import { parseTimeRange } from "./time-input.js";
import { INTRADAY_MINUTES, isIntraday, TIMEFRAMES, type Timeframe } from "./timeframes.js";

export interface DataSourceInfo {
  source: string;
  synthetic: boolean;
  note: string | null;
}

export interface SymbolInfo extends DataSourceInfo {
  symbol: string;
  name: string | null;
  sector: string | null;
  exchange: string | null;
  coverage: TimeframeCoverage[];
}

export interface BarsRequest {
  symbol: string;
  timeframe: Timeframe;
  from?: string;
  to?: string;
  limit?: number;
}

export interface BarsResult {
  symbol: string;
  timeframe: Timeframe;
  bars: Bar[];
  /** More bars exist beyond the limit in the direction the query was anchored. */
  truncated: boolean;
  /** Set when the bars were rolled up from a finer stored timeframe. */
  aggregatedFrom?: Timeframe;
  source: DataSourceInfo;
}

export interface LatestPrice {
  symbol: string;
  price: number;
  /** When the price was observed: the end of the bar it is the close of. */
  asOf: number;
  barStart: number;
  timeframe: Timeframe;
  ageMs: number;
  /** Regular sessions that have closed since the price was observed. */
  sessionsSince: number;
  stale: boolean;
  source: DataSourceInfo;
}

export interface ImportRequest extends Partial<CsvImportOptions> {
  path: string;
  symbol?: string;
  name?: string;
  sector?: string;
  /** Check the file and report what would be imported, writing nothing. */
  dryRun?: boolean;
}

export interface ImportReport {
  symbol: string;
  timeframe: Timeframe;
  file: string;
  layout: string;
  rowsRead: number;
  imported: number;
  inserted: number;
  updated: number;
  skipped: number;
  errors: { line: number; message: string }[];
  firstT: number | null;
  lastT: number | null;
  dryRun: boolean;
}

export interface MarketStatus {
  now: number;
  phase: "pre" | "regular" | "post" | "closed";
  isOpen: boolean;
  today: TradingSession | null;
  closedReason: string | null;
  nextSession: TradingSession;
  lastClosedSession: TradingSession;
}

const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
const DEFAULT_LIMIT = 1_000;

/**
 * DataManager owns time, the trading calendar and prices (DESIGN §3). Every read is
 * bounded by the Clock: nothing that ends after `clock.now()` is returned, so the same
 * code is safe to replay history with.
 */
export class DataManager {
  constructor(
    private readonly store: BarsStore,
    readonly calendar: NyseCalendar,
    private readonly clock: Clock,
    private readonly config: ArgusConfig["data"],
    private readonly logger: Logger,
  ) {}

  now(): number {
    return this.clock.now();
  }

  isMarketOpen(t: number = this.clock.now()): boolean {
    return this.calendar.isMarketOpen(t);
  }

  marketStatus(t: number = this.clock.now()): MarketStatus {
    const { phase, session } = this.calendar.phaseAt(t);
    const date = this.calendar.dateAt(t);
    return {
      now: t,
      phase,
      isOpen: phase === "regular",
      today: session,
      closedReason: session ? null : (this.calendar.closedReason(date)?.reason ?? null),
      nextSession: this.calendar.nextOpen(t),
      lastClosedSession: this.calendar.lastClosedSession(t),
    };
  }

  // ---- symbols -------------------------------------------------------------

  symbols(filter: { sector?: string; query?: string } = {}): SymbolInfo[] {
    const coverage = this.store.coverage();
    const q = filter.query?.toLowerCase();
    const sector = filter.sector?.toLowerCase();
    return this.store
      .listSymbols()
      .filter((s) => !sector || s.sector?.toLowerCase() === sector)
      .filter((s) => !q || s.symbol.toLowerCase().includes(q) || (s.name ?? "").toLowerCase().includes(q))
      .map((s) => ({ ...this.describe(s), coverage: sortCoverage(coverage.get(s.symbol) ?? []) }));
  }

  private describe(s: SymbolRow): Omit<SymbolInfo, "coverage"> {
    return {
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      exchange: s.exchange,
      source: s.source,
      synthetic: s.synthetic,
      note: s.sourceNote,
    };
  }

  /** The symbol's row, or UNKNOWN_SYMBOL naming the closest known tickers. */
  requireSymbol(symbol: string): SymbolRow {
    const row = this.store.getSymbol(symbol);
    if (row) return row;
    const known = this.store.listSymbols().map((s) => s.symbol);
    const close = known
      .map((k) => ({ k, d: distance(k, symbol) }))
      .filter((x) => x.d <= 2)
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((x) => x.k);
    const hint = close.length > 0 ? ` Did you mean ${close.join(", ")}?` : "";
    throw new ArgusError(
      "UNKNOWN_SYMBOL",
      `No data for symbol ${symbol}.${hint} Call list_symbols to see what is loaded, or import bars with import_bars_csv.`,
      { symbol, suggestions: close },
    );
  }

  sourceOf(symbol: string): DataSourceInfo {
    const s = this.requireSymbol(symbol);
    return { source: s.source, synthetic: s.synthetic, note: s.sourceNote };
  }

  // ---- bars ----------------------------------------------------------------

  /** Latest bar start that is complete at `now` for a timeframe: the no-look-ahead bound. */
  visibleUntil(timeframe: Timeframe, now: number = this.clock.now()): number {
    if (isIntraday(timeframe)) return now - INTRADAY_MINUTES[timeframe] * 60_000;
    // A daily bar is complete once its session has closed.
    return this.calendar.startOfDay(this.calendar.lastClosedSession(now).date);
  }

  private barEnd(timeframe: Timeframe, bar: Bar): number {
    if (isIntraday(timeframe)) return bar.t + INTRADAY_MINUTES[timeframe] * 60_000;
    const session = this.calendar.session(this.calendar.dateAt(bar.t));
    return session ? session.close : bar.t + 86_400_000;
  }

  getBars(req: BarsRequest): BarsResult {
    const row = this.requireSymbol(req.symbol);
    const limit = req.limit ?? DEFAULT_LIMIT;
    if (limit > this.config.maxBarsPerRequest) {
      throw new ArgusError(
        "LIMIT_TOO_LARGE",
        `limit ${limit} is above the maximum of ${this.config.maxBarsPerRequest} bars per request; narrow the range with from/to and page through it.`,
        { limit, max: this.config.maxBarsPerRequest },
      );
    }
    const range = parseTimeRange(req.from, req.to);
    const visible = this.visibleUntil(req.timeframe);
    const toT = Math.min(range.toT ?? visible, visible);
    // With a start, page forward from it (as Alpaca does); without one, return the latest bars.
    const anchor = range.fromT !== undefined ? "first" : "last";
    const base = { symbol: row.symbol, timeframe: req.timeframe, source: { source: row.source, synthetic: row.synthetic, note: row.sourceNote } };
    if (range.fromT !== undefined && range.fromT > toT) return { ...base, bars: [], truncated: false };

    const stored = this.store.query({ symbol: row.symbol, timeframe: req.timeframe, fromT: range.fromT, toT, limit: limit + 1, anchor });
    if (stored.length > 0 || req.timeframe === "1Day" || req.timeframe === "1Min") {
      return { ...base, ...trim(stored, limit, anchor) };
    }
    // No stored bars at this size: roll them up from 1Min bars when there are any.
    const size = INTRADAY_MINUTES[req.timeframe];
    const want = (limit + 2) * size;
    const minuteToT = Math.min(range.toT ?? Infinity, this.visibleUntil("1Min"));
    const minutes = this.store.query({ symbol: row.symbol, timeframe: "1Min", fromT: range.fromT, toT: minuteToT, limit: want, anchor });
    let rolled = aggregateMinuteBars(minutes, req.timeframe).filter((b) => b.t + size * 60_000 <= this.clock.now());
    // A bucket at the cut edge of a full window may be missing minutes: drop it.
    if (minutes.length === want) rolled = anchor === "last" ? rolled.slice(1) : rolled.slice(0, -1);
    if (range.fromT !== undefined) rolled = rolled.filter((b) => b.t >= range.fromT!);
    if (rolled.length === 0) return { ...base, bars: [], truncated: false };
    return { ...base, ...trim(rolled, limit, anchor), aggregatedFrom: "1Min" };
  }

  latestBar(symbol: string, timeframe: Timeframe): Bar | undefined {
    const row = this.requireSymbol(symbol);
    return this.store.lastBarAtOrBefore(row.symbol, timeframe, this.visibleUntil(timeframe));
  }

  /** The most recent visible close across stored timeframes, with its age. */
  latestPrice(symbol: string): LatestPrice {
    const row = this.requireSymbol(symbol);
    const now = this.clock.now();
    let best: { bar: Bar; timeframe: Timeframe; end: number } | undefined;
    for (const timeframe of TIMEFRAMES) {
      const bar = this.store.lastBarAtOrBefore(row.symbol, timeframe, this.visibleUntil(timeframe, now));
      if (!bar) continue;
      const end = this.barEnd(timeframe, bar);
      if (!best || end > best.end) best = { bar, timeframe, end };
    }
    if (!best) {
      throw new ArgusError("NO_DATA", `${row.symbol} has no bars at or before ${new Date(now).toISOString()}; import some with import_bars_csv.`, { symbol: row.symbol });
    }
    const sessionsSince = this.sessionsClosedSince(best.end, now);
    return {
      symbol: row.symbol,
      price: best.bar.close,
      asOf: best.end,
      barStart: best.bar.t,
      timeframe: best.timeframe,
      ageMs: now - best.end,
      sessionsSince,
      stale: sessionsSince >= this.config.staleAfterSessions,
      source: { source: row.source, synthetic: row.synthetic, note: row.sourceNote },
    };
  }

  /** Regular sessions whose close lies in (t, now]. */
  private sessionsClosedSince(t: number, now: number): number {
    const last = this.calendar.lastClosedSession(now);
    if (last.close <= t) return 0;
    const firstDate = this.calendar.dateAt(t);
    const days = this.calendar.tradingDays(firstDate, last.date);
    return days.filter((d) => (this.calendar.session(d)?.close ?? 0) > t).length;
  }

  // ---- import and quality ----------------------------------------------------

  /**
   * Imports a CSV of bars. `trusted` is for human surfaces (the CLI); tools pass false
   * and may read only inside the configured import directories.
   */
  importCsv(req: ImportRequest, opts: { trusted: boolean }): ImportReport {
    const file = this.resolveImportPath(req.path, opts.trusted);
    const symbol = (req.symbol ?? symbolFromFileName(basename(file)))?.toUpperCase();
    if (!symbol || !SYMBOL_PATTERN.test(symbol)) {
      throw new ArgusError("INVALID_INPUT", `Cannot tell the ticker from the file name ${basename(file)}; pass symbol explicitly.`, { file });
    }
    const existing = this.store.getSymbol(symbol);
    if (existing?.synthetic) {
      throw new ArgusError("INVALID_INPUT", `${symbol} holds synthetic demo data; import real bars under a different symbol.`, { symbol });
    }
    const size = statSync(file).size;
    if (size > MAX_IMPORT_BYTES) {
      throw new ArgusError("INVALID_INPUT", `${basename(file)} is ${(size / 1e6).toFixed(0)} MB; split files above ${MAX_IMPORT_BYTES / 1e6} MB.`, { file });
    }
    const text = readFileSync(file, "utf8");
    const parsed = parseBarsCsv(text, req, this.calendar);
    assertImportable(parsed, { ...req, fileName: basename(file) });
    const report: ImportReport = {
      symbol,
      timeframe: parsed.timeframe,
      file,
      layout: parsed.layout,
      rowsRead: parsed.rowsRead,
      imported: 0,
      inserted: 0,
      updated: 0,
      skipped: parsed.badRows,
      errors: parsed.errors.slice(0, 50).map(({ line, message }) => ({ line, message })),
      firstT: parsed.firstT ?? null,
      lastT: parsed.lastT ?? null,
      dryRun: req.dryRun === true,
    };
    if (req.dryRun) return report;
    this.store.upsertSymbol({
      symbol,
      name: req.name ?? existing?.name ?? null,
      sector: req.sector ?? existing?.sector ?? null,
      exchange: existing?.exchange ?? null,
      source: "csv",
      synthetic: false,
      sourceNote: `Imported from ${basename(file)}`,
      updatedAt: this.clock.now(),
    });
    const { inserted, updated } = this.store.upsertBars(symbol, parsed.timeframe, parsed.bars);
    this.logger.info({ symbol, timeframe: parsed.timeframe, inserted, updated, skipped: report.skipped }, "imported bars");
    return { ...report, imported: parsed.bars.length, inserted, updated };
  }

  private resolveImportPath(path: string, trusted: boolean): string {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new ArgusError("FILE_NOT_FOUND", `Cannot read ${path}: no such file.`, { path });
    }
    if (trusted) return real;
    const dirs = this.config.importDirs;
    if (dirs.length === 0) {
      throw new ArgusError("PATH_NOT_ALLOWED", "No import directories are configured, so tools may not read files; set ARGUS_IMPORT_DIRS (or data.importDirs in argus.config.json), or import from the terminal with `argus import`.", { path });
    }
    const inside = dirs.some((dir) => {
      let root: string;
      try {
        root = realpathSync(dir);
      } catch {
        return false;
      }
      const rel = relative(root, real);
      return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
    });
    if (!inside) {
      throw new ArgusError("PATH_NOT_ALLOWED", `${path} is outside the import directories (${dirs.join(", ")}); move the file into one of them or add its folder to ARGUS_IMPORT_DIRS.`, { path, allowed: dirs });
    }
    return real;
  }

  quality(symbol: string, timeframe?: Timeframe): QualityReport[] {
    const row = this.requireSymbol(symbol);
    const coverage = this.store.coverage().get(row.symbol) ?? [];
    const timeframes = timeframe ? [timeframe] : sortCoverage(coverage).map((c) => c.timeframe);
    const now = this.clock.now();
    return timeframes.map((tf) =>
      assessQuality({
        symbol: row.symbol,
        timeframe: tf,
        bars: this.store.query({ symbol: row.symbol, timeframe: tf, toT: this.visibleUntil(tf, now), limit: Number.MAX_SAFE_INTEGER, anchor: "first" }),
        now,
        calendar: this.calendar,
        outlierZ: this.config.outlierZ,
        staleAfterSessions: this.config.staleAfterSessions,
      }),
    );
  }

  /**
   * Loads the synthetic demo universe on first start, so Argus works with no keys and
   * no network. It ends at the last session closed when it was generated.
   */
  /**
   * Replaces the demo universe with one generated up to the last closed session (the
   * demo does not grow by itself). Human-only: the CLI calls it, no tool does.
   */
  refreshDemoData(): { removed: number; loaded: number } {
    const removed = this.store.deleteSymbolsBySource(DEMO_SOURCE);
    return { removed, loaded: this.ensureDemoData().symbols };
  }

  ensureDemoData(): { loaded: boolean; symbols: number } {
    if (!this.config.demo) return { loaded: false, symbols: 0 };
    const present = this.store.countSymbolsBySource(DEMO_SOURCE);
    if (present > 0) return { loaded: false, symbols: present };
    const endDate = this.calendar.lastClosedSession(this.clock.now()).date;
    const started = performance.now();
    const count = loadDemoDataset(this.store, { seed: this.config.demoSeed, endDate, calendar: this.calendar, updatedAt: this.clock.now() });
    this.logger.info({ symbols: count, endDate, seed: this.config.demoSeed, ms: Math.round(performance.now() - started) }, "loaded the synthetic demo dataset");
    return { loaded: true, symbols: count };
  }
}

function sortCoverage(list: TimeframeCoverage[]): TimeframeCoverage[] {
  return [...list].sort((a, b) => TIMEFRAMES.indexOf(a.timeframe) - TIMEFRAMES.indexOf(b.timeframe));
}

function trim(bars: Bar[], limit: number, anchor: "first" | "last"): { bars: Bar[]; truncated: boolean } {
  if (bars.length <= limit) return { bars, truncated: false };
  return { bars: anchor === "first" ? bars.slice(0, limit) : bars.slice(bars.length - limit), truncated: true };
}
