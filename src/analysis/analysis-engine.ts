import { randomUUID } from "node:crypto";
import type { ArgusConfig } from "../core/config.js";
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { AnalysisRow } from "../db/schema.js";
import type { Bar } from "../data/bar.js";
import { dayNumber } from "../data/calendar/dates.js";
import type { DataManager, DataSourceInfo } from "../data/data-manager.js";
import type { AnalysisFilter, AnalysisLog } from "./analysis-log.js";
import { buildTickerChart, type TickerChart, type TickerChartRequest } from "./chart/ticker-chart.js";
import { hashBars } from "./data-hash.js";
import { computeIndicator, firstDefined, type IndicatorOutput, type IndicatorRequest } from "./indicator-catalog.js";
import { expectedMove, scoreOutcome } from "./outcomes.js";
import { REGIMES } from "./regime.js";
import { Research } from "./research.js";
import { toColumns } from "./series.js";
import { computeSignal, MIN_SIGNAL_BARS, type SignalResult } from "./signal.js";
import type { Weights } from "./strategies/ensemble.js";
import type { Action } from "./strategies/vote.js";
import { proposeWeights, type WeightProposal } from "./weights.js";
import type { Timeframe } from "../data/timeframes.js";

/** Predicts P(forward return > 0) from the daily bars up to now; null when it cannot. */
export interface ProbabilitySource {
  readonly version: string;
  readonly horizonDays: number;
  /** Last date of the data it was fitted on (YYYY-MM-DD); it is not used at or before it. */
  readonly fittedThrough?: string | null;
  predictLatest(daily: readonly Bar[]): Promise<number | null>;
}

export const DISCLAIMER = "Research output from rules and a statistical model, not investment advice. Check the sources; markets can move against any signal.";

/** Daily bars an analysis reads: enough for the 252-session regime and model features. */
const ANALYSIS_LOOKBACK = 400;

export interface Analysis extends SignalResult {
  analysisId: string;
  symbol: string;
  asOf: number;
  probability: number | null;
  modelVersion: string | null;
  horizonDays: number;
  weightSetId: string | null;
  bars: { timeframe: Timeframe; from: number; to: number; count: number; dataHash: string };
  source: DataSourceInfo;
  disclaimer: string;
}

export interface IndicatorSeries {
  symbol: string;
  timeframe: Timeframe;
  bars: { from: number; to: number; count: number };
  times: number[];
  indicators: { key: string; name: string; params: Record<string, number>; warmup: number; series: Record<string, (number | null)[]>; latest: Record<string, number | null> }[];
  source: DataSourceInfo;
}

export interface ScoreSummary {
  scored: { analysisId: string; symbol: string; decision: string; realizedReturn: number; outcome: string; successScore: number }[];
  pending: number;
}

/**
 * AnalysisEngine owns indicators, signals and the analysis log (DESIGN §3). It reads
 * bars only through the DataManager, so the Clock bounds what it can see; every
 * analysis is written to the log with the exact inputs it used.
 */
/** What the copilot spent on the answer that ran an analysis. */
export interface LlmUsage {
  provider: string;
  model: string;
  prompt: string;
  response: string;
  /** All prompt tokens of the answer's model calls (uncached, cache reads and writes). */
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  costUsd: number | null;
}

const LLM_TEXT_CAP = 20_000;

export class AnalysisEngine {
  /** Outliers, option pricing and portfolio statistics. */
  readonly research: Research;

  constructor(
    private readonly data: DataManager,
    private readonly log: AnalysisLog,
    private readonly clock: Clock,
    private readonly config: ArgusConfig["analysis"],
    private readonly probability: () => Promise<ProbabilitySource | null>,
    private readonly logger: Logger,
    /** Every analysis is also recorded in the tamper-evident audit log (DESIGN §7). */
    private readonly audit?: { append(entry: { kind: "analysis.logged" | "analysis.llm_recorded"; actor: string; channel: string; subject: string; payload: unknown }): unknown },
  ) {
    this.research = new Research(data);
  }

  private sessionKey = (t: number): number => dayNumber(this.data.calendar.dateAt(t));

  indicators(req: { symbol: string; timeframe: Timeframe; indicators: IndicatorRequest[]; limit: number; to?: string }): IndicatorSeries {
    // Read enough history that recursive indicators (EMA, RSI, ADX) have settled.
    const longest = Math.max(...req.indicators.map((i) => Math.max(i.period ?? 20, i.slow ?? 26) + (i.signal ?? 9)));
    const r = this.data.getBars({ symbol: req.symbol, timeframe: req.timeframe, ...(req.to ? { to: req.to } : {}), limit: Math.min(20_000, req.limit + longest * 10 + 50) });
    if (r.bars.length === 0) throw new ArgusError("NO_DATA", `${r.symbol} has no ${req.timeframe} bars in that range.`, { symbol: r.symbol });
    const cols = toColumns(r.bars);
    const sessions = Int32Array.from(r.bars, (b) => this.sessionKey(b.t));
    const outputs: IndicatorOutput[] = req.indicators.map((i) => computeIndicator(i, cols, sessions));
    for (const out of outputs) {
      if (firstDefined(out) < 0) {
        throw new ArgusError(
          "INSUFFICIENT_HISTORY",
          `${out.key} needs at least ${out.warmup + 1} ${req.timeframe} bars of ${r.symbol}; only ${r.bars.length} are available. Use a shorter period or import more history.`,
          { indicator: out.key, needed: out.warmup + 1, available: r.bars.length },
        );
      }
    }
    const start = Math.max(0, r.bars.length - req.limit);
    const pick = (s: Float64Array) => Array.from(s.subarray(start), (v) => (Number.isNaN(v) ? null : v));
    return {
      symbol: r.symbol,
      timeframe: req.timeframe,
      bars: { from: r.bars[0]!.t, to: r.bars[r.bars.length - 1]!.t, count: r.bars.length },
      times: r.bars.slice(start).map((b) => b.t),
      indicators: outputs.map((o) => {
        const series = Object.fromEntries(Object.entries(o.series).map(([k, v]) => [k, pick(v)]));
        const latest = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, v[v.length - 1] ?? null]));
        return { key: o.key, name: o.name, params: o.params, warmup: o.warmup, series, latest };
      }),
      source: r.source,
    };
  }

  /** The weights in force for a regime now: the newest recorded set, else the defaults. */
  private weightsFor(regime: string): { weights: Weights; weightSetId: string | null } {
    const set = this.log.latestWeightSet(regime, this.clock.now());
    return set ? { weights: set.weights as Weights, weightSetId: set.id } : { weights: { ...this.config.weights }, weightSetId: null };
  }

  async analyze(symbol: string): Promise<Analysis> {
    const now = this.clock.now();
    const r = this.data.getBars({ symbol, timeframe: "1Day", limit: ANALYSIS_LOOKBACK });
    if (r.bars.length < MIN_SIGNAL_BARS) {
      throw new ArgusError(
        "INSUFFICIENT_HISTORY",
        `Analysing ${r.symbol} needs at least ${MIN_SIGNAL_BARS} daily bars before ${new Date(now).toISOString().slice(0, 10)}; only ${r.bars.length} are available. Import more history.`,
        { symbol: r.symbol, needed: MIN_SIGNAL_BARS, available: r.bars.length },
      );
    }
    const price = this.data.latestPrice(r.symbol);
    const lastDaily = r.bars[r.bars.length - 1]!;
    // Session VWAP needs the minutes of the session after the last completed daily bar
    // (today's, while it trades) or of that bar's own session.
    const minutes = this.data.getBars({ symbol: r.symbol, timeframe: "1Min", from: new Date(lastDaily.t).toISOString(), limit: 2_000 }).bars;
    const lastSessionKey = minutes.length > 0 ? this.sessionKey(minutes[minutes.length - 1]!.t) : null;
    const sessionMinutes = lastSessionKey === null ? [] : minutes.filter((b) => this.sessionKey(b.t) === lastSessionKey);

    // A model fitted on data up to some date has seen that period's future: a replay
    // before then analyses without it, rather than with knowledge it could not have had.
    const loaded = await this.probability();
    const model = loaded?.fittedThrough && this.data.calendar.dateAt(now) <= loaded.fittedThrough ? null : loaded;
    const p = model ? await model.predictLatest(r.bars) : null;
    let weightSetId: string | null = null;
    const signal = computeSignal({
      daily: r.bars,
      sessionMinutes,
      sessionKey: this.sessionKey,
      price,
      weightsFor: (regime) => {
        const w = this.weightsFor(regime);
        weightSetId = w.weightSetId;
        return w.weights;
      },
      probability: p === null || !model ? null : { value: p, modelVersion: model.version },
      config: this.config,
    });
    const analysis: Analysis = {
      ...signal,
      analysisId: randomUUID(),
      symbol: r.symbol,
      asOf: now,
      probability: p,
      modelVersion: p === null ? null : (model?.version ?? null),
      horizonDays: this.config.horizonDays,
      weightSetId,
      bars: { timeframe: "1Day", from: r.bars[0]!.t, to: lastDaily.t, count: r.bars.length, dataHash: hashBars(r.bars) },
      source: r.source,
      disclaimer: DISCLAIMER,
    };
    this.log.insert({
      id: analysis.analysisId,
      createdAt: now,
      clockKind: this.clock.kind,
      symbol: analysis.symbol,
      timeframe: "1Day",
      asOf: now,
      barFrom: analysis.bars.from,
      barTo: analysis.bars.to,
      barCount: analysis.bars.count,
      dataHash: analysis.bars.dataHash,
      dataSource: r.source.source,
      synthetic: r.source.synthetic,
      indicators: signal.indicators,
      votes: signal.votes,
      weights: signal.ensemble.weights,
      weightSetId,
      regime: signal.regime.regime,
      regimeDetail: { reason: signal.regime.reason, metrics: signal.regime.metrics, thresholds: signal.regime.thresholds },
      probability: p,
      modelVersion: analysis.modelVersion,
      decision: signal.decision,
      confidence: signal.confidence,
      ensembleScore: signal.ensemble.score,
      entry: signal.entry,
      stop: signal.stop,
      targets: signal.targets,
      riskReward: signal.riskReward,
      rationale: signal.rationale,
      horizonDays: this.config.horizonDays,
    });
    this.audit?.append({
      kind: "analysis.logged",
      actor: "system",
      channel: "system",
      subject: analysis.analysisId,
      payload: { symbol: analysis.symbol, decision: analysis.decision, probability: p, modelVersion: analysis.modelVersion, dataHash: analysis.bars.dataHash, barTo: analysis.bars.to },
    });
    this.logger.debug({ analysisId: analysis.analysisId, symbol: analysis.symbol, decision: analysis.decision }, "analysis logged");
    return analysis;
  }

  /**
   * Records which language model took part in an analysis and what it cost (the copilot
   * calls this after the answer that ran it). Written once; audited. The prompt and
   * answer are kept as text, capped, and never hold a key (keys stay in the environment).
   */
  recordLlmUsage(analysisId: string, llm: LlmUsage): boolean {
    this.get(analysisId);
    const cap = (s: string) => (s.length > LLM_TEXT_CAP ? `${s.slice(0, LLM_TEXT_CAP)}…` : s);
    const written = this.log.recordLlm(analysisId, {
      llmProvider: llm.provider,
      llmModel: llm.model,
      llmPrompt: cap(llm.prompt),
      llmResponse: cap(llm.response),
      llmInputTokens: llm.inputTokens,
      llmOutputTokens: llm.outputTokens,
      llmLatencyMs: Math.round(llm.latencyMs),
      llmCostUsd: llm.costUsd,
    });
    if (written) {
      const { prompt: _p, response: _r, ...numbers } = llm;
      this.audit?.append({ kind: "analysis.llm_recorded", actor: "agent", channel: "agent", subject: analysisId, payload: numbers });
    }
    return written;
  }

  /** A logged analysis, as it was recorded. Analyses stamped after the Clock's now are not visible. */
  get(analysisId: string): AnalysisRow {
    const row = this.log.get(analysisId);
    if (!row || row.asOf > this.clock.now()) {
      throw new ArgusError("UNKNOWN_ANALYSIS", `No analysis with id ${analysisId}; list_analyses shows the ids that exist.`, { analysisId });
    }
    return row;
  }

  /** A rendered chart of a symbol with overlays and the log's BUY/SELL markers. */
  chart(req: TickerChartRequest): Promise<TickerChart> {
    return buildTickerChart(this.data, this, req);
  }

  /** Whether the bars an analysis used still hash to the logged value when re-read now. */
  barsStillMatch(row: AnalysisRow): boolean {
    const reread = this.data.getBars({ symbol: row.symbol, timeframe: "1Day", from: new Date(row.barFrom).toISOString(), to: new Date(row.barTo).toISOString(), limit: row.barCount + 1 }).bars;
    return reread.length === row.barCount && hashBars(reread) === row.dataHash;
  }

  list(filter: AnalysisFilter): AnalysisRow[] {
    return this.log.list(filter, this.clock.now());
  }

  /**
   * Fills outcomes for analyses whose horizon has passed, from the close `horizonDays`
   * sessions after the analysed bar, using only bars the Clock allows.
   */
  scoreOutcomes(opts: { symbol?: string; limit: number }): ScoreSummary {
    const now = this.clock.now();
    const cal = this.data.calendar;
    const rows = this.log.unscored(now, opts.symbol, opts.limit);
    const updates: { id: string; outcome: { scoredAt: number; exitTime: number; exitPrice: number; realizedReturn: number; outcome: string; successScore: number } }[] = [];
    const scored: ScoreSummary["scored"] = [];
    let pending = 0;
    for (const row of rows) {
      let date = cal.dateAt(row.barTo);
      for (let i = 0; i < row.horizonDays; i++) date = cal.nextTradingDay(date);
      const exitT = cal.startOfDay(date);
      const exit = this.data.getBars({ symbol: row.symbol, timeframe: "1Day", from: date, to: date, limit: 1 }).bars[0];
      if (!exit || exit.t !== exitT) {
        pending++;
        continue;
      }
      const realizedReturn = exit.close / row.entry - 1;
      const { outcome, successScore } = scoreOutcome(row.decision as Action, realizedReturn, expectedMove(row));
      updates.push({ id: row.id, outcome: { scoredAt: now, exitTime: exit.t, exitPrice: exit.close, realizedReturn, outcome, successScore } });
      scored.push({ analysisId: row.id, symbol: row.symbol, decision: row.decision, realizedReturn, outcome, successScore });
    }
    this.log.recordOutcomes(updates);
    return { scored, pending };
  }

  /** Proposes per-regime weights from scored analyses and records the sets with enough evidence. */
  optimizeWeights(): (WeightProposal & { weightSetId: string | null })[] {
    const now = this.clock.now();
    return REGIMES.map((regime) => {
      const proposal = proposeWeights(regime, this.log.scored(regime, now), this.config.weights, this.config.minSampleForWeights);
      if (!proposal.sufficient) return { ...proposal, weightSetId: null };
      const id = randomUUID();
      this.log.insertWeightSet({ id, createdAt: now, regime, weights: proposal.weights, evidence: proposal.evidence, sampleSize: proposal.sampleSize, method: proposal.method });
      return { ...proposal, weightSetId: id };
    });
  }
}
