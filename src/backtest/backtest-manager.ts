import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { DateTime } from "luxon";
import type { App } from "../app.js";
import { ArgusError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { fromRoot } from "../core/package-root.js";
import { riskLimitsSchema, type RiskLimits } from "../risk/limits.js";
import type { BacktestListRow, BacktestRow, BacktestStore } from "./backtest-store.js";
import { parseBacktestConfig, withPath, type BacktestConfig, type Objective, type StrategyConfig } from "./config.js";
import { buildSingleReport, canonicalHash, type EngineIdentity, type SingleReport } from "./report/build-report.js";
import type { SeriesMetrics } from "./report/metrics.js";
import { renderBacktestChartPng } from "./report/chart.js";
import { replay, stepTimes, type ReplayProgress } from "./replay.js";
import { createRunApp } from "./run-app.js";
import { EnsembleStrategy, NullStrategy } from "./strategy/ensemble-strategy.js";
import { RulesStrategy } from "./strategy/rules-strategy.js";
import type { RebalanceCadence, Strategy } from "./strategy/types.js";

/** Daily bars every run copies before its start, whatever the strategy: the firewall reads ATR(14) and the 252-session regime. */
const FIREWALL_HISTORY_BARS = 300;

export interface SweepRun {
  parameters: Record<string, number>;
  objective: number | null;
  summary: BacktestSummary;
  reportHash: string;
}

export interface SweepReport {
  kind: "sweep";
  name: string;
  objective: Objective;
  runs: SweepRun[];
  /** The full report of the best run. */
  best: SingleReport;
  bestParameters: Record<string, number>;
}

export interface WalkForwardWindow {
  train: { start: string; end: string };
  test: { start: string; end: string };
  chosen: Record<string, number>;
  trainObjective: number | null;
  candidates: number;
  result: BacktestSummary;
  /** The test window's full metrics (the objective is read from these). */
  metrics: SeriesMetrics;
  testReportHash: string;
  rejectionsByCode: Record<string, number>;
}

export interface WalkForwardReport {
  kind: "walk_forward";
  name: string;
  objective: Objective;
  windows: WalkForwardWindow[];
  /** Out-of-sample only: the test windows chained. */
  outOfSample: { compoundedReturn: number; benchmarkCompoundedReturn: number | null; meanObjective: number | null; windows: number };
}

export type BacktestReport = SingleReport | SweepReport | WalkForwardReport;

/** The one run a report shows curves and trades for: itself, a sweep's best run, or none (walk-forward). */
export function singleReportOf(report: BacktestReport): SingleReport | null {
  return report.kind === "single" ? report : report.kind === "sweep" ? report.best : null;
}

export interface BacktestSummary {
  totalReturn: number;
  cagr: number | null;
  sharpe: number | null;
  maxDrawdown: number;
  trades: number;
  hitRate: number | null;
  benchmarkReturn: number | null;
  rejections: number;
}

export interface StoredBacktest {
  id: string;
  createdAt: number;
  name: string;
  kind: BacktestReport["kind"];
  strategy: string;
  startDate: string;
  endDate: string;
  config: BacktestConfig;
  configHash: string;
  dataHash: string;
  reportHash: string;
  summary: BacktestSummary;
  report: BacktestReport;
  elapsedMs: number;
  bars: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; message: string }) => void;
}

/** A configuration checked against the data, ready to replay. */
interface Prepared {
  config: BacktestConfig;
  benchmark: string;
  limits: RiskLimits;
  /** For the ensemble: the analysis settings and model file hash its decisions depend on. */
  engine: EngineIdentity | null;
}

interface SingleOutcome {
  report: SingleReport;
  reportHash: string;
  dataHash: string;
  bars: number;
}

/**
 * BacktestManager (DESIGN §3, backtest mode): validates a configuration against the data
 * before anything runs, replays it in an isolated run App, and stores the report with
 * the hashes that make it reproducible.
 */
export class BacktestManager {
  constructor(
    private readonly app: App,
    private readonly store: BacktestStore,
    private readonly logger: Logger,
  ) {}

  /** Everything that can be known to be wrong before the run: shape, dates, symbols, data in range. */
  prepare(input: unknown): Prepared {
    const config = parseBacktestConfig(input);
    const data = this.app.data;
    const today = data.calendar.dateAt(this.app.clock.now());
    if (config.end > today) throw new ArgusError("INVALID_RANGE", `end ${config.end} is after today (${today}); a backtest replays history only.`, { end: config.end, today });
    const universe = [...new Set(config.universe)];
    if (universe.length !== config.universe.length) throw new ArgusError("INVALID_INPUT", "The universe lists a symbol twice; name each once.");
    for (const symbol of universe) data.requireSymbol(symbol);
    const missing = universe.filter((s) => !this.hasBars(s, config));
    if (missing.length > 0) {
      const coverage = missing.map((s) => `${s}: ${this.coverageText(s, config.timeframe)}`).join("; ");
      throw new ArgusError("NO_DATA", `No ${config.timeframe} bars between ${config.start} and ${config.end} for ${missing.join(", ")} (${coverage}). Pick dates inside the data or import bars first.`, { missing });
    }
    if (stepTimes(data.calendar, config.timeframe, config.start, config.end).length === 0) {
      throw new ArgusError("NO_DATA", `There is no trading session between ${config.start} and ${config.end}.`);
    }
    let benchmark = config.benchmark;
    if (benchmark) {
      data.requireSymbol(benchmark);
      if (!this.hasBars(benchmark, config)) throw new ArgusError("NO_DATA", `The benchmark ${benchmark} has no ${config.timeframe} bars between ${config.start} and ${config.end} (${this.coverageText(benchmark, config.timeframe)}).`);
    } else {
      benchmark = this.symbolExists("SPY") && this.hasBars("SPY", config) ? "SPY" : universe[0]!;
    }
    const limits = riskLimitsSchema.parse({ ...this.app.limits(), ...config.limits, autoApprovePaper: { enabled: false, maxNotional: 0 } });
    // The ensemble's decisions also depend on the analysis settings and the model file: they are part of what is hashed.
    // (The model's path is left out: where it is installed does not change a number; its bytes do.)
    const { modelPath, ...analysis } = this.app.config.analysis;
    const engine = config.strategy.kind === "ensemble" ? { analysis, modelSha256: fileSha256(modelPath) } : null;
    if (config.strategy.kind === "ensemble" && config.strategy.sizing.kind === "atr_risk" && config.strategy.sizing.atrPeriod !== 14) {
      throw new ArgusError("INVALID_INPUT", `strategy.sizing.atrPeriod: the ensemble sizes with the ATR(14) of its analysis; use atrPeriod 14 (got ${config.strategy.sizing.atrPeriod}).`);
    }
    // A strategy that cannot be built (e.g. a bad rule) fails here too, not mid-run.
    if (config.strategy.kind === "rules") new RulesStrategy(config.strategy, universe);
    return { config, benchmark, limits, engine };
  }

  private symbolExists(symbol: string): boolean {
    try {
      this.app.data.requireSymbol(symbol);
      return true;
    } catch {
      return false;
    }
  }

  private hasBars(symbol: string, config: BacktestConfig): boolean {
    // A bare date as `to` is the last millisecond of that New York day (parseTimeBound).
    return this.app.data.getBars({ symbol, timeframe: config.timeframe, from: config.start, to: config.end, limit: 1 }).bars.length > 0;
  }

  private coverageText(symbol: string, timeframe: string): string {
    const info = this.app.data.symbols({ query: symbol }).find((s) => s.symbol === symbol);
    const c = info?.coverage.find((x) => x.timeframe === timeframe);
    return c ? `its ${timeframe} data covers ${this.app.data.calendar.dateAt(c.firstT)} to ${this.app.data.calendar.dateAt(c.lastT)}` : `it has no ${timeframe} data`;
  }

  async run(input: unknown, opts: RunOptions = {}): Promise<StoredBacktest> {
    const started = performance.now();
    const prepared = this.prepare(input);
    const { config } = prepared;
    const name = config.name ?? `${strategyLabel(config.strategy)} on ${config.universe.length} symbol${config.universe.length === 1 ? "" : "s"}`;
    let report: BacktestReport;
    let dataHash: string;
    let bars = 0;
    if (config.walkForward) {
      ({ report, dataHash, bars } = await this.walkForward(prepared, name, opts));
    } else if (config.sweep) {
      ({ report, dataHash, bars } = await this.sweep(prepared, name, opts));
    } else {
      const total = this.stepsOf(config, config.start, config.end);
      const one = await this.runSingle(prepared, config.strategy, { start: config.start, end: config.end }, name, progressSlice(opts, 0, total, total, ""));
      report = one.report;
      dataHash = one.dataHash;
      bars = one.bars;
    }
    const reportHash = canonicalHash(report);
    const stored: StoredBacktest = {
      id: `bt-${randomUUID()}`,
      createdAt: this.app.clock.now(),
      name,
      kind: report.kind,
      strategy: strategyLabel(config.strategy),
      startDate: config.start,
      endDate: config.end,
      config: { ...config, benchmark: prepared.benchmark },
      configHash: canonicalHash({ config: { ...config, benchmark: prepared.benchmark }, limits: prepared.limits, engine: prepared.engine }),
      dataHash,
      reportHash,
      summary: summarize(report),
      report,
      elapsedMs: Math.round(performance.now() - started),
      bars,
    };
    this.store.insert(stored as BacktestRow);
    this.logger.info({ id: stored.id, kind: stored.kind, reportHash, elapsedMs: stored.elapsedMs, bars }, "backtest stored");
    return stored;
  }

  private stepsOf(config: BacktestConfig, start: string, end: string): number {
    return stepTimes(this.app.data.calendar, config.timeframe, start, end).length;
  }

  /** One replay over one window in a fresh, isolated run App. */
  private async runSingle(prepared: Prepared, strategyConfig: StrategyConfig, window: { start: string; end: string }, name: string, opts: { signal?: AbortSignal; onProgress?: (p: ReplayProgress) => void }): Promise<SingleOutcome> {
    const { config, benchmark, limits } = prepared;
    const cal = this.app.data.calendar;
    const universe = [...config.universe];
    const strategyWarmup = warmupOf(strategyConfig, universe);
    const sessionsBefore = (n: number) => {
      let date = window.start;
      for (let i = 0; i < n; i++) date = cal.previousTradingDay(date);
      return cal.startOfDay(date);
    };
    // prepare() made sure the window holds sessions.
    const days = cal.tradingDays(window.start, window.end);
    const firstSession = cal.session(days[0]!)!;
    const endT = cal.session(days.at(-1)!)!.close;
    // Daily history for the firewall and the strategy (10% spare for missing bars).
    const ranges: { timeframe: "1Day" | "1Min"; fromT: number; toT: number }[] = [{ timeframe: "1Day", fromT: sessionsBefore(Math.ceil(Math.max(FIREWALL_HISTORY_BARS, strategyWarmup) * 1.1)), toT: endT }];
    // Enough whole sessions of minutes for the strategy's warm-up (390 a session), at least one.
    if (config.timeframe === "1Min") ranges.push({ timeframe: "1Min", fromT: sessionsBefore(Math.max(1, Math.ceil(strategyWarmup / 390))), toT: endT });
    const run = createRunApp(
      this.app,
      {
        symbols: [...new Set([...universe, benchmark])],
        ranges,
        startAt: firstSession.open,
        limits,
        paper: { startingCash: config.initialCash, slippageBps: config.costs.slippageBps, participation: config.costs.participation },
      },
      this.logger,
    );
    try {
      const strategy = buildStrategy(strategyConfig, universe, run.app);
      const result = await replay(
        run,
        strategy,
        {
          timeframe: config.timeframe,
          start: window.start,
          end: window.end,
          universe,
          benchmark,
          cadence: cadenceOf(strategyConfig),
          resumeAfterSessions: config.supervision.resumeAfterSessions,
          maxOrdersPerMinute: limits.maxOrdersPerMinute,
        },
        opts,
      );
      const analyses = run.app.db.$client.prepare("select count(*) from analyses").pluck().get() as number;
      const byKind = run.app.db.$client.prepare("select kind, count(*) as n from audit_log group by kind order by kind").all() as { kind: string; n: number }[];
      const verified = run.app.audit.verify();
      const audit = { verified: verified.ok, entries: verified.rows, byKind: Object.fromEntries(byKind.map((r) => [r.kind, r.n])) };
      const report = buildSingleReport({ name, config: { ...config, strategy: strategyConfig }, strategyName: strategy.name, engine: prepared.engine, window, benchmark, limits, dataHash: run.dataHash, barsCopied: run.barsCopied, result, analyses, audit });
      return { report, reportHash: canonicalHash(report), dataHash: run.dataHash, bars: result.barsReplayed };
    } finally {
      run.app.close();
    }
  }

  private combos(config: BacktestConfig): Record<string, number>[] {
    let out: Record<string, number>[] = [{}];
    for (const [path, values] of Object.entries(config.sweep!.parameters)) out = out.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
    return out;
  }

  private strategyWith(config: BacktestConfig, params: Record<string, number>): StrategyConfig {
    let s = config.strategy;
    for (const [path, v] of Object.entries(params)) s = withPath(s, path, v);
    return s;
  }

  private async sweep(prepared: Prepared, name: string, opts: RunOptions): Promise<{ report: SweepReport; dataHash: string; bars: number }> {
    const { config } = prepared;
    const combos = this.combos(config);
    const objective = config.sweep!.objective;
    const per = this.stepsOf(config, config.start, config.end);
    const runs: (SweepRun & { full: SingleReport })[] = [];
    const hashes: string[] = [];
    let bars = 0;
    for (const [i, params] of combos.entries()) {
      const one = await this.runSingle(prepared, this.checkedStrategy(config, params), { start: config.start, end: config.end }, name, progressSlice(opts, i * per, per, per * combos.length, `run ${i + 1}/${combos.length}`));
      hashes.push(one.dataHash);
      bars += one.bars;
      runs.push({ parameters: params, objective: objectiveOf(one.report, objective), summary: summarizeSingle(one.report), reportHash: one.reportHash, full: one.report });
    }
    const best = pickBest(runs);
    return {
      report: { kind: "sweep", name, objective, runs: runs.map(({ full: _full, ...r }) => r), best: best.full, bestParameters: best.parameters },
      // Runs may read different ranges (a swept period changes the warm-up): hash them all.
      dataHash: canonicalHash(hashes),
      bars,
    };
  }

  /** A sweep combination must still be a valid strategy (e.g. macd fast < slow). */
  private checkedStrategy(config: BacktestConfig, params: Record<string, number>): StrategyConfig {
    const strategy = this.strategyWith(config, params);
    try {
      return parseBacktestConfig({ ...config, strategy, sweep: undefined, walkForward: undefined }).strategy;
    } catch (err) {
      const why = err instanceof ArgusError ? err.message : String(err);
      throw new ArgusError("INVALID_INPUT", `The sweep combination ${JSON.stringify(params)} is not a valid strategy: ${why}`);
    }
  }

  private windows(config: BacktestConfig): { train: { start: string; end: string }; test: { start: string; end: string } }[] {
    const wf = config.walkForward!;
    const out: { train: { start: string; end: string }; test: { start: string; end: string } }[] = [];
    const last = DateTime.fromISO(config.end);
    for (let s = DateTime.fromISO(config.start); ; s = s.plus({ months: wf.testMonths })) {
      const testStart = s.plus({ months: wf.trainMonths });
      if (testStart > last) break;
      const testEnd = DateTime.min(testStart.plus({ months: wf.testMonths }).minus({ days: 1 }), last);
      out.push({ train: { start: s.toISODate()!, end: testStart.minus({ days: 1 }).toISODate()! }, test: { start: testStart.toISODate()!, end: testEnd.toISODate()! } });
    }
    return out;
  }

  private async walkForward(prepared: Prepared, name: string, opts: RunOptions): Promise<{ report: WalkForwardReport; dataHash: string; bars: number }> {
    const { config } = prepared;
    // A window whose train or test part holds no session (a holiday stretch) has nothing to replay.
    const windows = this.windows(config).filter((w) => this.stepsOf(config, w.train.start, w.train.end) > 0 && this.stepsOf(config, w.test.start, w.test.end) > 0);
    if (windows.length === 0) {
      throw new ArgusError("INVALID_INPUT", `walkForward needs at least one train window of ${config.walkForward!.trainMonths} months followed by a test window inside ${config.start}..${config.end}; lengthen the range or shorten trainMonths.`);
    }
    const combos = this.combos(config);
    for (const params of combos) this.checkedStrategy(config, params);
    const objective = config.sweep!.objective;
    const total = windows.reduce((n, w) => n + this.stepsOf(config, w.train.start, w.train.end) * combos.length + this.stepsOf(config, w.test.start, w.test.end), 0);
    let done = 0;
    let bars = 0;
    const hashes: string[] = [];
    const out: WalkForwardWindow[] = [];
    for (const [wi, w] of windows.entries()) {
      const trainSteps = this.stepsOf(config, w.train.start, w.train.end);
      const candidates: { parameters: Record<string, number>; objective: number | null }[] = [];
      for (const [ci, params] of combos.entries()) {
        const one = await this.runSingle(prepared, this.checkedStrategy(config, params), w.train, name, progressSlice(opts, done, trainSteps, total, `window ${wi + 1}/${windows.length} train ${ci + 1}/${combos.length}`));
        done += trainSteps;
        bars += one.bars;
        hashes.push(one.dataHash);
        candidates.push({ parameters: params, objective: objectiveOf(one.report, objective) });
      }
      const chosen = pickBest(candidates);
      const testSteps = this.stepsOf(config, w.test.start, w.test.end);
      const test = await this.runSingle(prepared, this.checkedStrategy(config, chosen.parameters), w.test, name, progressSlice(opts, done, testSteps, total, `window ${wi + 1}/${windows.length} test`));
      done += testSteps;
      bars += test.bars;
      hashes.push(test.dataHash);
      out.push({ train: w.train, test: w.test, chosen: chosen.parameters, trainObjective: chosen.objective, candidates: combos.length, result: summarizeSingle(test.report), metrics: test.report.numbers.metrics, testReportHash: test.reportHash, rejectionsByCode: test.report.firewall.rejectionsByCode });
    }
    const compounded = out.reduce((x, w) => x * (1 + w.result.totalReturn), 1) - 1;
    const benchReturns = out.map((w) => w.result.benchmarkReturn);
    const benchmarkCompoundedReturn = benchReturns.every((r) => r !== null) ? benchReturns.reduce((x, r) => x * (1 + r!), 1) - 1 : null;
    const objectives = out.map((w) => w.metrics[objective]).filter((v): v is number => v !== null);
    return {
      report: {
        kind: "walk_forward",
        name,
        objective,
        windows: out,
        outOfSample: { compoundedReturn: compounded, benchmarkCompoundedReturn, meanObjective: objectives.length > 0 ? objectives.reduce((a, b) => a + b, 0) / objectives.length : null, windows: out.length },
      },
      dataHash: canonicalHash(hashes),
      bars,
    };
  }

  get(id: string): StoredBacktest {
    const row = this.store.get(id);
    if (!row) throw new ArgusError("UNKNOWN_BACKTEST", `No backtest with id ${id}; list_backtests shows the ids that exist.`, { id });
    return row as unknown as StoredBacktest;
  }

  list(limit: number): (Omit<StoredBacktest, "report" | "config">)[] {
    return this.store.list(limit) as unknown as Omit<StoredBacktest, "report" | "config">[];
  }

  /** PNG of equity and drawdown against the benchmark (the best run of a sweep; none for walk-forward). */
  chart(stored: StoredBacktest): { png: Buffer; width: number; height: number } | null {
    const single = singleReportOf(stored.report);
    if (!single) return null;
    const c = single.numbers.curves;
    const m = single.numbers.metrics;
    return renderBacktestChartPng({
      title: `${stored.name}`,
      subtitle: `${single.period.start} – ${single.period.end} · return ${((m.totalReturn ?? 0) * 100).toFixed(1)}% · max DD ${(m.maxDrawdown * 100).toFixed(1)}% · benchmark ${single.benchmark}`,
      t: c.t,
      equity: c.equity,
      benchmarkEquity: c.benchmarkEquity,
      benchmarkLabel: single.benchmark,
      drawdown: c.drawdown,
      benchmarkDrawdown: c.benchmarkDrawdown,
    });
  }
}

export type { BacktestListRow };

/** SHA-256 of a file under the package (or absolute), or null when it is missing. */
function fileSha256(path: string): string | null {
  const full = isAbsolute(path) ? path : fromRoot(path);
  return existsSync(full) ? createHash("sha256").update(readFileSync(full)).digest("hex") : null;
}

function strategyLabel(s: StrategyConfig): string {
  return s.kind === "rules" ? `rules${s.name ? `:${s.name}` : ""}` : s.kind;
}

function cadenceOf(s: StrategyConfig): RebalanceCadence {
  return s.kind === "null" ? "daily" : s.rebalance;
}

function warmupOf(s: StrategyConfig, universe: string[]): number {
  if (s.kind === "rules") return new RulesStrategy(s, universe).warmupBars;
  return s.kind === "ensemble" ? 400 : 0;
}

function buildStrategy(s: StrategyConfig, universe: string[], app: App): Strategy {
  if (s.kind === "rules") return new RulesStrategy(s, universe);
  if (s.kind === "ensemble") return new EnsembleStrategy(app.analysis, universe, { sizing: s.sizing, minConfidence: s.minConfidence });
  return new NullStrategy();
}

/** Maps one run's progress into a slice of the whole job's. */
function progressSlice(opts: RunOptions, offset: number, _size: number, total: number, label: string): { signal?: AbortSignal; onProgress?: (p: ReplayProgress) => void } {
  const onProgress = opts.onProgress;
  return {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(onProgress ? { onProgress: (p: ReplayProgress) => onProgress({ done: offset + p.done, total, message: `${label ? `${label} · ` : ""}${p.date}` }) } : {}),
  };
}

function summarizeSingle(r: SingleReport): BacktestSummary {
  const n = r.numbers;
  return {
    totalReturn: n.metrics.totalReturn ?? 0,
    cagr: n.metrics.cagr,
    sharpe: n.metrics.sharpe,
    maxDrawdown: n.metrics.maxDrawdown,
    trades: n.tradeCount,
    hitRate: n.hitRate,
    benchmarkReturn: n.benchmark?.totalReturn ?? null,
    rejections: r.orders.blocked + r.orders.blockedOnRecheck,
  };
}

function summarize(r: BacktestReport): BacktestSummary {
  if (r.kind === "single") return summarizeSingle(r);
  if (r.kind === "sweep") return summarizeSingle(r.best);
  const tests = r.windows.map((w) => w.result);
  return {
    totalReturn: r.outOfSample.compoundedReturn,
    cagr: null,
    sharpe: null,
    maxDrawdown: Math.min(0, ...tests.map((t) => t.maxDrawdown)),
    trades: tests.reduce((n, t) => n + t.trades, 0),
    hitRate: null,
    benchmarkReturn: r.outOfSample.benchmarkCompoundedReturn,
    rejections: tests.reduce((n, t) => n + t.rejections, 0),
  };
}

function objectiveOf(r: SingleReport, o: Objective): number | null {
  const m = r.numbers.metrics;
  return m[o];
}

/** Highest objective wins; null objectives lose; ties keep the earlier combination (deterministic). */
function pickBest<T extends { objective: number | null }>(runs: T[]): T {
  let best = runs[0]!;
  for (const r of runs) if (r.objective !== null && (best.objective === null || r.objective > best.objective)) best = r;
  return best;
}
